using System.Buffers;
using System.Buffers.Binary;
using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// Every session's events rendered once, in the scan pass, as the evidence list writes them (with <c>line_number</c>
/// and <c>raw_line</c>), kept in one temporary file that is unlinked as soon as it is open: the top-level
/// <c>article_12</c> list is cut from these records and the evidence list copied from them, so each event is parsed
/// and rendered once, not three times, in memory that does not grow with the session. Sessions are read back in the
/// order they were written.
/// </summary>
/// <remarks>A record is three little-endian int64 (length, where the evidence members start, where the closing
/// brace's line starts) and the event's bytes; a session ends with a length of -1.</remarks>
internal sealed class EvidenceSpill : IBufferWriter<byte>, IDisposable
{
    private const int HeaderBytes = 24;
    private readonly FileStream _file;
    private byte[] _buffer = new byte[1 << 20];
    private int _count, _readPos;
    private long _flushed;
    private bool _reading;

    private EvidenceSpill(FileStream file) => _file = file;

    public static EvidenceSpill Create()
    {
        try
        {
            return new EvidenceSpill(SafeFile.CreateScratch("agent-strace-evidence-", bufferSize: 1));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Errors.AgentStraceException($"Cannot create the package's temporary file in {Path.GetTempPath()} (set TMPDIR to a writable directory): {ex.Message}", Errors.ExitCodes.Io, ex);
        }
    }

    /// <summary>Where the next byte written lands in the file.</summary>
    public long Position => _flushed + _count;

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        if (_buffer.Length - _count < Math.Max(sizeHint, 1))
        {
            FlushWrites();
            if (_buffer.Length < sizeHint) _buffer = new byte[sizeHint];
        }
        return _buffer.AsSpan(_count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpan(sizeHint);
        return _buffer.AsMemory(_count);
    }

    public void Advance(int count) => _count += count;

    /// <summary>Adds one event rendered in pieces (its bytes are <paramref name="a"/>, <paramref name="b"/>,
    /// <paramref name="c"/>, <paramref name="d"/> in order); the offsets are from the start of the event.</summary>
    public void Add(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, long cut, long close)
    {
        Header(GetSpan(HeaderBytes), a.Length + b.Length + c.Length + d.Length, cut, close);
        Advance(HeaderBytes);
        this.Write(a);
        this.Write(b);
        this.Write(c);
        this.Write(d);
    }

    /// <summary>Starts an event that is rendered straight into this file (a long line); returns its header's place.</summary>
    public long BeginLong()
    {
        long at = Position;
        GetSpan(HeaderBytes)[..HeaderBytes].Clear();
        Advance(HeaderBytes);
        return at;
    }

    /// <summary>Ends the event begun at <paramref name="at"/>; <paramref name="cut"/> and <paramref name="close"/> are file positions.</summary>
    public void EndLong(long at, long cut, long close)
    {
        long start = at + HeaderBytes;
        FlushWrites();
        Span<byte> header = stackalloc byte[HeaderBytes];
        Header(header, _flushed - start, cut - start, close - start);
        _file.Position = at;
        _file.Write(header);
        _file.Position = _flushed;
    }

    public void EndSession()
    {
        Span<byte> span = GetSpan(8);
        BinaryPrimitives.WriteInt64LittleEndian(span, -1);
        Advance(8);
    }

    /// <summary>Goes back to the first session, to write the sessions' events again.</summary>
    public void Rewind()
    {
        if (!_reading) FlushWrites();
        _reading = true;
        _file.Position = 0;
        _count = _readPos = 0;
    }

    /// <summary>Writes the next session's events as items of the list <paramref name="w"/> is in: whole (the evidence
    /// list) or each without its evidence members (the top-level list).</summary>
    public void WriteSession(PyJsonWriter w, IBufferWriter<byte> output, bool evidence, CancellationToken cancellationToken)
    {
        while (true)
        {
            Fill(8);
            long length = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_readPos));
            if (length < 0) { _readPos += 8; return; }
            Fill(HeaderBytes);
            long cut = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_readPos + 8));
            long close = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_readPos + 16));
            _readPos += HeaderBytes;
            cancellationToken.ThrowIfCancellationRequested();
            if (evidence)
            {
                Copy(w, output, length);
            }
            else
            {
                Copy(w, output, cut);
                Skip(close - cut);
                Copy(null, output, length - close);
            }
        }
    }

    // Copies `count` bytes of the record; the first piece goes through the writer, which puts the item's separator.
    private void Copy(PyJsonWriter? w, IBufferWriter<byte> output, long count)
    {
        while (count > 0)
        {
            Fill(1);
            int n = (int)Math.Min(count, _count - _readPos);
            ReadOnlySpan<byte> piece = _buffer.AsSpan(_readPos, n);
            if (w is not null) { w.WriteRawValue(piece); w = null; }
            else output.Write(piece);
            _readPos += n;
            count -= n;
        }
    }

    private void Skip(long count)
    {
        long buffered = _count - _readPos;
        if (count <= buffered) { _readPos += (int)count; return; }
        _file.Position += count - buffered;
        _count = _readPos = 0;
    }

    // At least `need` unread bytes (need <= the buffer) in the buffer.
    private void Fill(int need)
    {
        if (_count - _readPos >= need) return;
        int keep = _count - _readPos;
        Buffer.BlockCopy(_buffer, _readPos, _buffer, 0, keep);
        _count = keep;
        _readPos = 0;
        while (_count < need)
        {
            int n = _file.Read(_buffer, _count, _buffer.Length - _count);
            if (n == 0) throw new InvalidDataException("the package's temporary event file ended early");
            _count += n;
        }
    }

    private void FlushWrites()
    {
        if (_count == 0) return;
        _file.Write(_buffer, 0, _count);
        _flushed += _count;
        _count = 0;
    }

    private static void Header(Span<byte> span, long length, long cut, long close)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span, length);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], cut);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], close);
    }

    public void Dispose() => _file.Dispose();
}
