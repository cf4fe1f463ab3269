using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Gemini;

/// <summary>
/// Reads replayed messages back from a chat file through one window of the file: the transcript is mostly in file
/// order, so most messages come out of the window the previous one was read into.
/// </summary>
public sealed class GeminiMessages : IDisposable
{
    private const int WindowBytes = 1 << 20;
    private readonly FileStream _file;
    private byte[] _window = [];
    private long _start;
    private int _length;

    public GeminiMessages(string path) => _file = SafeFile.OpenRead(path);

    /// <summary>The message at <paramref name="at"/>, valid until the next <see cref="Load"/>.</summary>
    public RawJsonObject Load(GeminiMessage at)
    {
        if (at.Offset < _start || at.Offset + at.Length > _start + _length)
        {
            int size = Math.Max(WindowBytes, at.Length);
            if (_window.Length < size) _window = new byte[size];
            _start = at.Offset;
            _length = RandomAccess.Read(_file.SafeFileHandle, _window.AsSpan(0, size), at.Offset);
            // The file shrank since it was replayed (rewritten meanwhile): what is missing reads as no message.
            if (_length < at.Length) return RawJsonObject.Empty;
        }
        return Indexed(_window.AsMemory((int)(at.Offset - _start), at.Length));
    }

    /// <summary>The message with its properties (and those of its object values) located in one read, so the reader's
    /// lookups do not each scan it again.</summary>
    private static RawJsonObject Indexed(ReadOnlyMemory<byte> raw)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(raw.Span, PyJsonTranscoder.ReaderOptions);
            if (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.StartObject) return new RawJsonObject(raw, RawJsonObject.ReadSlots(ref reader));
        }
        catch (System.Text.Json.JsonException) { } // changed since the replay: looked up unindexed, as any damaged message
        return new RawJsonObject(raw);
    }

    /// <summary>The message at <paramref name="at"/> in its own copy, read without moving the window (the last
    /// <see cref="Load"/>ed message stays valid).</summary>
    public RawJsonObject LoadCopy(GeminiMessage at)
    {
        if ((at.Offset >= _start && at.Offset + at.Length <= _start + _length)) return Indexed(Load(at).Raw.ToArray());
        byte[] copy = new byte[at.Length];
        return RandomAccess.Read(_file.SafeFileHandle, copy, at.Offset) == at.Length ? Indexed(copy) : RawJsonObject.Empty;
    }

    public void Dispose() => _file.Dispose();
}
