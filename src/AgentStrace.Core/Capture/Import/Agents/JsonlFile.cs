using System.Text.Json;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>Streams the complete lines of a JSONL file (an unterminated last line is still being written: skipped).</summary>
public static class JsonlFile
{
    public delegate void LineAction(long number, ReadOnlyMemory<byte> line);

    public static void ForEach(string path, LineAction action)
    {
        using LineReader reader = LineReader.Open(path);
        while (reader.MoveNext())
        {
            if (!reader.CurrentTerminated) break;
            ReadOnlyMemory<byte> line = reader.Current;
            if (reader.LineNumber == 1 && line.Span.StartsWith("\xEF\xBB\xBF"u8)) line = line[3..];
            if (line.Span.EndsWith("\r"u8)) line = line[..^1];
            if (line.Span.Trim(" \t"u8).IsEmpty) continue;
            action(reader.LineNumber, line);
        }
    }

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
