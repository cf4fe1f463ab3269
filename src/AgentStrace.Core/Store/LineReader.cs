using System.Buffers;
using AgentStrace.FileSystem;

namespace AgentStrace.Store;

/// <summary>
/// Streams the lines of a file through one pooled buffer: memory is bounded by the longest line, not the file.
/// </summary>
/// <remarks>
/// <see cref="Current"/> is only valid until the next <see cref="MoveNext"/>. The buffer is returned to the pool
/// on dispose.
/// </remarks>
public sealed class LineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private byte[] _buffer;
    private int _start, _end;
    private bool _eof;

    public LineReader(Stream stream, bool ownsStream = true, int initialBuffer = 64 * 1024)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _buffer = ArrayPool<byte>.Shared.Rent(initialBuffer);
    }

    public static LineReader Open(string path) =>
        new(SafeFile.OpenRead(path));

    /// <summary>The current line without its newline (a trailing <c>\r</c> is kept: upstream never writes one).</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>1-based number of <see cref="Current"/>.</summary>
    public long LineNumber { get; private set; }

    /// <summary>False when the current line is the last one and the file does not end with a newline (a torn write).</summary>
    public bool CurrentTerminated { get; private set; }

    /// <summary>Byte offset of the start of <see cref="Current"/> in the stream.</summary>
    public long CurrentOffset { get; private set; }

    private long _consumed;

    /// <summary>Longest line kept whole (512 MiB); a longer one (a power loss leaves gigabytes of NULs without a
    /// newline) is read past in constant memory and handed out as one unparsable line, <see cref="TooLongLine"/>.</summary>
    public const int MaxLineBytes = 512 * 1024 * 1024;

    /// <summary>What <see cref="Current"/> holds for a line over <see cref="MaxLineBytes"/>: not JSON, so every reader
    /// reports it (with its line number) and skips it.</summary>
    public static ReadOnlySpan<byte> TooLongLine => "\0 line longer than 512 MiB, skipped"u8;

    private static readonly byte[] s_tooLong = TooLongLine.ToArray();

    public bool MoveNext()
    {
        while (true)
        {
            int nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                Current = _buffer.AsMemory(_start, nl);
                CurrentOffset = _consumed;
                _consumed += nl + 1;
                _start += nl + 1;
                LineNumber++;
                CurrentTerminated = true;
                return true;
            }
            if (_eof)
            {
                if (_end > _start)
                {
                    Current = _buffer.AsMemory(_start, _end - _start);
                    CurrentOffset = _consumed;
                    _consumed += _end - _start;
                    _start = _end;
                    LineNumber++;
                    CurrentTerminated = false;
                    return true;
                }
                Current = default;
                return false;
            }
            if (_start == 0 && _end == _buffer.Length && _buffer.Length >= MaxLineBytes)
            {
                SkipLongLine();
                return true;
            }
            Fill();
        }
    }

    private void SkipLongLine()
    {
        long skipped = _end;
        _start = _end = 0;
        CurrentTerminated = false;
        while (true)
        {
            int n = _stream.Read(_buffer, 0, _buffer.Length);
            if (n == 0) { _eof = true; break; }
            int nl = _buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                skipped += nl + 1;
                _start = nl + 1;
                _end = n;
                CurrentTerminated = true;
                break;
            }
            skipped += n;
        }
        Current = s_tooLong;
        CurrentOffset = _consumed;
        _consumed += skipped;
        LineNumber++;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            if (!_pooled && _end - _start <= PooledBytes)
            {
                // Past a long line: back to a pooled buffer, so the long one can be collected.
                byte[] small = ArrayPool<byte>.Shared.Rent(PooledBytes);
                Buffer.BlockCopy(_buffer, _start, small, 0, _end - _start);
                _buffer = small;
                _pooled = true;
            }
            else
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            }
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Grow();
        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
    }

    // Lines up to this long grow a pooled buffer by doubling; a longer one gets an array of its own length when the
    // stream can seek (its end is found first), so a 200 MB line costs 200 MB, not the 384 MB of the last doubling.
    private const int PooledBytes = 1 << 20;
    private bool _pooled = true;

    private void Grow()
    {
        long size = _buffer.Length * 2L;
        if (_buffer.Length >= PooledBytes && _stream.CanSeek && LengthToNewline() is long ahead and > 0) size = _end + ahead;
        size = Math.Min(size, MaxLineBytes);
        byte[] bigger = size <= PooledBytes ? ArrayPool<byte>.Shared.Rent((int)size) : GC.AllocateUninitializedArray<byte>((int)size);
        Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
        if (_pooled) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        _pooled = size <= PooledBytes;
    }

    // Bytes from the stream's position through the next newline (or to the end), read ahead and sought back; capped
    // just past the longest line kept whole.
    private long LengthToNewline()
    {
        long back = _stream.Position, count = 0;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count <= MaxLineBytes)
            {
                int n = _stream.Read(scratch, 0, scratch.Length);
                if (n == 0) break;
                int nl = scratch.AsSpan(0, n).IndexOf((byte)'\n');
                if (nl >= 0) return count + nl + 1;
                count += n;
            }
            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            _stream.Position = back;
        }
    }

    public void Dispose()
    {
        if (_ownsStream) _stream.Dispose();
        byte[] b = _buffer;
        _buffer = [];
        if (b.Length > 0 && _pooled) ArrayPool<byte>.Shared.Return(b);
    }
}
