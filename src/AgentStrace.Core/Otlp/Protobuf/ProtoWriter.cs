using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// A protobuf writer over one growable buffer rented from <see cref="ArrayPool{T}.Shared"/>.
/// Every write checks capacity first and grows the buffer (grow-before-write), so any payload size works.
/// </summary>
/// <remarks>
/// Nested messages reserve their length prefix and back-patch it when they end:
/// <see cref="BeginMessage"/> reserves a 4-byte padded varint (messages of any size; content is only moved for
/// messages of 256 MiB or more), <see cref="BeginSmallMessage"/> reserves 1 byte and moves the content right
/// when it turns out to be 128 bytes or longer (for small, numerous messages such as attributes).
/// Payloads hold prompts: the dirty prefix is cleared before a buffer goes back to the pool.
/// Not thread-safe; reuse one writer per export with <see cref="Reset"/>.
/// </remarks>
public sealed partial class ProtoWriter : IDisposable
{
    private const int ReservedLengthSize = 4;
    private const int MaxPaddedLength = (1 << 28) - 1;
    /// <summary>A UTF-16 string of up to 42 chars encodes to at most 126 UTF-8 bytes: a 1-byte length.</summary>
    private const int ShortStringChars = 42;

    private byte[] _buffer;
    private int _position;
    private int _highWater;

    public ProtoWriter(int initialCapacity = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 1);
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _position;

    /// <summary>Current buffer capacity (grows on demand).</summary>
    public int Capacity => _buffer.Length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    /// <summary>The written bytes; valid until the next write, <see cref="Reset"/> or <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    /// <summary>Starts a new payload in the same buffer.</summary>
    public void Reset()
    {
        _highWater = Math.Max(_highWater, _position);
        _position = 0;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        if (buffer.Length == 0) return;
        buffer.AsSpan(0, Math.Max(_highWater, _position)).Clear();
        _buffer = [];
        _position = _highWater = 0;
        ArrayPool<byte>.Shared.Return(buffer);
    }

    public void WriteTag(int fieldNumber, ProtoWireType wireType) => WriteVarint32((uint)(fieldNumber << 3) | (uint)wireType);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint32(uint value) => WriteVarint64(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint64(ulong value)
    {
        Ensure(10);
        _position = WriteVarintAt(_position, value);
    }

    public void WriteFixed64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position, 8), value);
        _position += 8;
    }

    public void WriteFixed32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position, 4), value);
        _position += 4;
    }

    /// <summary>Raw bytes with no tag or length (e.g. a precomputed field).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>UTF-8 of <paramref name="value"/> with no tag or length; <paramref name="byteCount"/> must be its exact UTF-8 length.</summary>
    public void WriteUtf8Raw(string value, int byteCount)
    {
        Ensure(byteCount);
        int written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position, byteCount));
        Debug.Assert(written == byteCount, "byteCount must be the UTF-8 length of value");
        _position += written;
    }

    /// <summary>A length-delimited UTF-8 string (no tag).</summary>
    public void WriteStringValue(string value)
    {
        if (value.Length <= ShortStringChars)
        {
            Ensure(1 + (ShortStringChars * 3));
            int n = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position + 1));
            _buffer[_position] = (byte)n;
            _position += 1 + n;
            return;
        }
        int count = Encoding.UTF8.GetByteCount(value);
        WriteVarint32((uint)count);
        WriteUtf8Raw(value, count);
    }

    /// <summary>The number of bytes <paramref name="value"/> takes as a varint.</summary>
    public static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    /// <summary>The encoded size of a length-delimited field's tag + length prefix + <paramref name="contentLength"/> bytes.</summary>
    public static int LenFieldSize(int fieldNumber, int contentLength) =>
        VarintSize((uint)(fieldNumber << 3)) + VarintSize((uint)contentLength) + contentLength;

    /// <summary>
    /// The encoded size of a nested message written with <see cref="BeginMessage"/>: tag, the 4-byte padded length
    /// (5 bytes past 2^28-1) and <paramref name="contentLength"/> bytes.
    /// </summary>
    public static int MessageFieldSize(int fieldNumber, int contentLength) =>
        VarintSize((uint)(fieldNumber << 3)) + (contentLength > MaxPaddedLength ? VarintSize((uint)contentLength) : ReservedLengthSize) + contentLength;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_buffer.Length - _position < count) Grow(count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        long needed = (long)_position + count;
        if (needed > Array.MaxLength) ThrowTooLarge(needed);
        int size = (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2));
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _position).CopyTo(next);
        byte[] old = _buffer;
        old.AsSpan(0, Math.Max(_highWater, _position)).Clear();
        _highWater = 0;
        _buffer = next;
        if (old.Length > 0) ArrayPool<byte>.Shared.Return(old);
    }

    private static void ThrowTooLarge(long needed) =>
        throw new InvalidOperationException($"Protobuf payload of {needed} bytes exceeds the maximum array size.");
}
