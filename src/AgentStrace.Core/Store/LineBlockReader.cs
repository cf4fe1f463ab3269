using AgentStrace.FileSystem;

namespace AgentStrace.Store;

/// <summary>
/// Cuts a file into blocks of whole lines, each in a fresh array, so the events parsed from a block can keep slices
/// of it (no copy per line) and blocks can be parsed on different threads.
/// </summary>
/// <param name="maxBytes">Read only this prefix of the file (a snapshot length, so every pass sees the same lines).</param>
/// <param name="startOffset">Where to start reading (the start of a line).</param>
/// <param name="longLineBuffer">Gives the array a line longer than a block is read into (at least the length asked
/// for; by default a new one), so a caller that knows when a block is done with can hand the same array out again.</param>
public sealed class LineBlockReader(string path, int blockSize = 64 * 1024, long maxBytes = long.MaxValue, long startOffset = 0,
    Func<int, byte[]>? longLineBuffer = null) : IDisposable
{
    private readonly FileStream _file = SafeFile.OpenRead(path);
    private long _offset = startOffset;
    private byte[] _carry = [];
    private byte[]? _scratch;
    private int _carryLength;
    private long _nextLine = 1;
    private bool _eof;

    /// <summary>The file offset just after the last block returned.</summary>
    public long Position => _offset - _carryLength;

    /// <summary>The next block, or null at the end of the file.</summary>
    public LineBlock? Next()
    {
        if (_eof && _carryLength == 0) return null;
        // Uninitialized: every byte handed out is read from the file first.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(Math.Max(blockSize, _carryLength * 2));
        _carry.AsSpan(0, _carryLength).CopyTo(buffer);
        int filled = _carryLength + Fill(buffer.AsSpan(_carryLength));
        int lastNewline = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n');
        if (lastNewline >= 0) return Cut(buffer, filled, lastNewline + 1, terminated: true);
        if (_eof) return filled == 0 ? null : Cut(buffer, filled, filled, terminated: false);
        return LongLine(buffer, filled);
    }

    /// <summary>
    /// A line longer than a block: its end is found first (read ahead through a small scratch buffer), then it is read
    /// into one array of exactly its length. Growing a buffer by doubling would cost up to three times the line.
    /// </summary>
    private LineBlock LongLine(byte[] head, int filled)
    {
        long start = _offset;
        byte[] scratch = _scratch ??= new byte[64 * 1024];
        long length = filled;
        bool terminated = false;
        while (length <= LineReader.MaxLineBytes)
        {
            int n = ReadAt(scratch, start + (length - filled));
            if (n == 0) break;
            int nl = scratch.AsSpan(0, n).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                length += nl + 1;
                terminated = true;
                break;
            }
            length += n;
        }
        if (length > LineReader.MaxLineBytes) return SkipLongLine(start + (length - filled));
        byte[] line = longLineBuffer?.Invoke((int)length) ?? GC.AllocateUninitializedArray<byte>((int)length);
        head.AsSpan(0, filled).CopyTo(line);
        int got = filled + Fill(line.AsSpan(filled, (int)length - filled));
        _carryLength = 0;
        if (got < length) terminated = false; // the file shrank under us: what was read is the last line
        if (!terminated) _eof = true;
        var block = new LineBlock(line, got, _nextLine, terminated);
        _nextLine++;
        return block;
    }

    /// <summary>Steps past a line over <see cref="LineReader.MaxLineBytes"/> (from <paramref name="from"/>, already
    /// known to be inside it) and returns it as one unparsable line.</summary>
    private LineBlock SkipLongLine(long from)
    {
        byte[] scratch = _scratch!;
        bool terminated = false;
        _carryLength = 0;
        _offset = from;
        while (true)
        {
            int n = Fill(scratch);
            if (n == 0) break;
            int nl = scratch.AsSpan(0, n).IndexOf((byte)'\n');
            if (nl < 0) continue;
            terminated = true;
            _carryLength = n - nl - 1;
            if (_carry.Length < _carryLength) _carry = new byte[_carryLength];
            scratch.AsSpan(nl + 1, _carryLength).CopyTo(_carry);
            break;
        }
        byte[] line = [.. LineReader.TooLongLine, .. (terminated ? "\n"u8 : [])];
        var block = new LineBlock(line, line.Length, _nextLine, terminated);
        _nextLine++;
        return block;
    }

    private LineBlock Cut(byte[] buffer, int filled, int cut, bool terminated)
    {
        _carryLength = filled - cut;
        if (_carry.Length < _carryLength) _carry = new byte[Math.Max(_carryLength, 4096)];
        buffer.AsSpan(cut, _carryLength).CopyTo(_carry);
        long lines = buffer.AsSpan(0, cut).Count((byte)'\n') + (terminated ? 0 : 1);
        var block = new LineBlock(buffer, cut, _nextLine, terminated);
        _nextLine += lines;
        return block;
    }

    /// <summary>Reads at the current offset until <paramref name="dest"/> is full or the end (of the file or of the
    /// snapshot) is reached, and moves past what was read.</summary>
    private int Fill(Span<byte> dest)
    {
        int total = 0;
        while (total < dest.Length)
        {
            int n = ReadAt(dest[total..], _offset);
            if (n == 0)
            {
                _eof = true;
                break;
            }
            total += n;
            _offset += n;
        }
        return total;
    }

    private int ReadAt(Span<byte> dest, long offset)
    {
        long left = maxBytes - offset;
        if (left <= 0 || dest.IsEmpty) return 0;
        if (left < dest.Length) dest = dest[..(int)left];
        return RandomAccess.Read(_file.SafeFileHandle, dest, offset);
    }

    public void Dispose() => _file.Dispose();
}
