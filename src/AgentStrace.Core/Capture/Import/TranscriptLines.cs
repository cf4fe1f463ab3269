using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// The complete, non-blank lines of a transcript between two offsets, one at a time (a UTF-8 byte order mark at the
/// start of the file and trailing CRs are dropped). An incomplete last line is not returned: the writer may still be
/// writing it. Each line is a slice of a block of whole lines read in one go (<see cref="LineBlockReader"/>); a line
/// longer than a block is read into <paramref name="longLines"/>'s array, reused for the next such line (the caller keeps
/// nothing of a line once it asks for the next).
/// </summary>
public sealed class TranscriptLines(string path, long start, long end, LongLineBuffer? longLines = null) : IDisposable
{
    private readonly LineBlockReader _blocks = new(path, 64 * 1024, end, start, longLines is null ? null : longLines.Get);
    private ReadOnlyMemory<byte> _rest;
    private long _at = start;
    private bool _done;

    /// <summary>The offset after the last complete line read.</summary>
    public long End { get; private set; } = start;

    public bool Next(out long offset, out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            if (_rest.IsEmpty)
            {
                // Offsets count from each block's start: a line over the size limit comes back as a short placeholder.
                _at = _blocks.Position;
                if (_done || _blocks.Next() is not LineBlock block) break;
                _rest = block.Buffer.AsMemory(0, block.Length);
            }
            int nl = _rest.Span.IndexOf((byte)'\n');
            if (nl < 0) { _done = true; _rest = default; break; }
            int skip = _at == 0 && _rest.Span.StartsWith("\xEF\xBB\xBF"u8) ? 3 : 0;
            ReadOnlyMemory<byte> l = _rest[skip..nl];
            while (l.Span.EndsWith("\r"u8)) l = l[..^1];
            offset = _at + skip;
            _at += nl + 1;
            _rest = _rest[(nl + 1)..];
            End = _rest.IsEmpty ? _blocks.Position : _at;
            if (l.Span.Trim(" \t"u8).IsEmpty) continue;
            line = l;
            return true;
        }
        offset = 0;
        line = default;
        return false;
    }

    public void Dispose() => _blocks.Dispose();
}

/// <summary>One array for the long lines of a streamed read, grown to the longest (a 200 MB line is not held twice).</summary>
public sealed class LongLineBuffer
{
    private byte[] _array = [];

    public byte[] Get(int length) => _array.Length >= length ? _array : _array = GC.AllocateUninitializedArray<byte>(length);
}
