using AgentStrace.FileSystem;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Live;

/// <summary>
/// Follows one events.ndjson from a byte offset: yields each complete new line as an event with the offset just
/// past it. A last line without its newline is a write in progress: it is left for the next read.
/// </summary>
public sealed class EventTail(string path, long offset)
{
    public string Path { get; } = path;
    /// <summary>Offset just past the last complete line consumed.</summary>
    public long Offset { get; private set; } = offset;
    public long LastKnownLength { get; private set; }

    /// <summary>Reads every complete line after <see cref="Offset"/>; returns how many lines were consumed.</summary>
    public int ReadNew(Action<TraceEvent, long> onEvent, Action<string> warn)
    {
        if (!File.Exists(Path)) return 0;
        using var stream = SafeFile.OpenRead(Path);
        LastKnownLength = stream.Length;
        if (stream.Length < Offset)
        {
            warn($"{Path} shrank below the position already read ({Offset} bytes); following from its new end");
            Offset = stream.Length;
            return 0;
        }
        if (stream.Length == Offset) return 0;
        stream.Seek(Offset, SeekOrigin.Begin);
        using var lines = new LineReader(stream, ownsStream: false);
        long start = Offset;
        int consumed = 0;
        while (lines.MoveNext())
        {
            if (!lines.CurrentTerminated) break; // still being written
            long end = start + lines.CurrentOffset + lines.Current.Length + 1;
            ReadOnlySpan<byte> line = lines.Current.Span.TrimEnd("\r"u8);
            if (!line.Trim(" \t"u8).IsEmpty)
            {
                TraceEvent? e = EventLine.TryParse(line, 0, out string? error);
                if (e is null) warn($"{Path}: skipped a malformed line at byte {start + lines.CurrentOffset}: {error}");
                else onEvent(e, end);
            }
            Offset = end;
            consumed++;
        }
        return consumed;
    }

    /// <summary>Bytes appended but not yet consumed (the tail lag).</summary>
    public long Lag => Math.Max(0, LastKnownLength - Offset);
}
