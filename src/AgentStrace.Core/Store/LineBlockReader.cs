using AgentStrace.FileSystem;

namespace AgentStrace.Store;

/// <summary>
/// Cuts a file into blocks of whole lines, each in a fresh array, so the events parsed from a block can keep slices
/// of it (no copy per line) and blocks can be parsed on different threads.
/// </summary>
/// <param name="maxBytes">Read only this prefix of the file (a snapshot length, so every pass sees the same lines).</param>
public sealed class LineBlockReader(string path, int blockSize = 64 * 1024, long maxBytes = long.MaxValue) : IDisposable
{
    private readonly Stream _stream = maxBytes == long.MaxValue ? SafeFile.OpenRead(path) : new BoundedStream(SafeFile.OpenRead(path), maxBytes, ownsInner: true);
    private byte[] _carry = [];
    private int _carryLength;
    private long _nextLine = 1;
    private bool _eof;

    /// <summary>The next block, or null at the end of the file.</summary>
    public LineBlock? Next()
    {
        if (_eof && _carryLength == 0) return null;
        // Uninitialized: every byte handed out is read from the file first.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(Math.Max(blockSize, _carryLength * 2));
        _carry.AsSpan(0, _carryLength).CopyTo(buffer);
        int filled = _carryLength;
        int searched = 0;
        while (true)
        {
            while (!_eof && filled < buffer.Length)
            {
                int n = _stream.Read(buffer, filled, buffer.Length - filled);
                if (n == 0) _eof = true;
                filled += n;
            }
            int lastNewline = buffer.AsSpan(searched, filled - searched).LastIndexOf((byte)'\n');
            if (lastNewline >= 0) return Cut(buffer, filled, searched + lastNewline + 1, terminated: true);
            if (_eof) return filled == 0 ? null : Cut(buffer, filled, filled, terminated: false);
            // One line longer than the buffer: grow until it ends, up to the longest line kept whole.
            if (buffer.Length >= LineReader.MaxLineBytes) return SkipLongLine(buffer);
            searched = filled;
            byte[] bigger = GC.AllocateUninitializedArray<byte>(buffer.Length * 2);
            buffer.AsSpan(0, filled).CopyTo(bigger);
            buffer = bigger;
        }
    }

    /// <summary>Reads past a line over <see cref="LineReader.MaxLineBytes"/> (reusing <paramref name="scratch"/>) and
    /// returns it as one unparsable line.</summary>
    private LineBlock SkipLongLine(byte[] scratch)
    {
        bool terminated = false;
        _carryLength = 0;
        while (true)
        {
            int n = _stream.Read(scratch, 0, scratch.Length);
            if (n == 0) { _eof = true; break; }
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

    public void Dispose() => _stream.Dispose();
}
