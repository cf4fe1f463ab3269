using System.Text.Json;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>Checks on the lines of a JSONL file.</summary>
public static class JsonlFile
{
    /// <summary>True when <paramref name="json"/> is one complete JSON object.</summary>
    public static bool IsObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var r = new Utf8JsonReader(json);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return false;
            r.Skip();
            return !r.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>The non-blank complete lines of a JSONL file, pulled one at a time (a reader that yields as it reads).</summary>
public sealed class JsonlLines(string path) : IDisposable
{
    private readonly LineReader _reader = LineReader.Open(path);

    /// <summary>The current line without BOM, <c>\r</c> or newline; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>1-based line number of <see cref="Current"/>.</summary>
    public long Number => _reader.LineNumber;

    /// <summary>Byte offset of <see cref="Current"/> in the file.</summary>
    public long Offset { get; private set; }

    public bool MoveNext()
    {
        while (_reader.MoveNext())
        {
            if (!_reader.CurrentTerminated) return false;
            ReadOnlyMemory<byte> line = _reader.Current;
            long offset = _reader.CurrentOffset;
            if (_reader.LineNumber == 1 && line.Span.StartsWith("\xEF\xBB\xBF"u8)) { line = line[3..]; offset += 3; }
            if (line.Span.EndsWith("\r"u8)) line = line[..^1];
            if (line.Span.Trim(" \t"u8).IsEmpty) continue;
            Current = line;
            Offset = offset;
            return true;
        }
        return false;
    }

    public void Dispose() => _reader.Dispose();
}
