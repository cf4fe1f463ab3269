using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>Tagged field writers and nested-message length back-patching.</summary>
public sealed partial class ProtoWriter
{
    public void WriteUInt64Field(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, ProtoWireType.Varint);
        WriteVarint64(value);
    }

    /// <summary>int64 (two's complement varint: negative values take 10 bytes, as protobuf specifies).</summary>
    public void WriteInt64Field(int fieldNumber, long value) => WriteUInt64Field(fieldNumber, (ulong)value);

    /// <summary>An enum or int32 value; negative values are sign-extended to 10 bytes.</summary>
    public void WriteEnumField(int fieldNumber, int value) => WriteUInt64Field(fieldNumber, (ulong)(long)value);

    public void WriteBoolField(int fieldNumber, bool value) => WriteUInt64Field(fieldNumber, value ? 1ul : 0ul);

    public void WriteFixed64Field(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, ProtoWireType.I64);
        WriteFixed64(value);
    }

    public void WriteSFixed64Field(int fieldNumber, long value) => WriteFixed64Field(fieldNumber, (ulong)value);

    public void WriteFixed32Field(int fieldNumber, uint value)
    {
        WriteTag(fieldNumber, ProtoWireType.I32);
        WriteFixed32(value);
    }

    public void WriteDoubleField(int fieldNumber, double value) => WriteFixed64Field(fieldNumber, BitConverter.DoubleToUInt64Bits(value));

    public void WriteStringField(int fieldNumber, string value)
    {
        WriteTag(fieldNumber, ProtoWireType.Len);
        WriteStringValue(value);
    }

    public void WriteBytesField(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteTag(fieldNumber, ProtoWireType.Len);
        WriteVarint32((uint)value.Length);
        WriteRaw(value);
    }

    /// <summary>A packed <c>repeated fixed64</c>.</summary>
    public void WritePackedFixed64Field(int fieldNumber, ReadOnlySpan<ulong> values)
    {
        if (values.IsEmpty) return;
        WriteTag(fieldNumber, ProtoWireType.Len);
        WriteVarint32((uint)(values.Length * 8));
        Ensure(values.Length * 8);
        foreach (ulong v in values)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position, 8), v);
            _position += 8;
        }
    }

    /// <summary>A packed <c>repeated double</c>: each value's IEEE bits as a fixed64.</summary>
    public void WritePackedDoubleField(int fieldNumber, ReadOnlySpan<double> values) =>
        WritePackedFixed64Field(fieldNumber, MemoryMarshal.Cast<double, ulong>(values));

    /// <summary>Writes the tag of a nested message and reserves a 4-byte length; pass the result to <see cref="EndMessage"/>.</summary>
    public int BeginMessage(int fieldNumber)
    {
        WriteTag(fieldNumber, ProtoWireType.Len);
        Ensure(ReservedLengthSize);
        int bookmark = _position;
        _position += ReservedLengthSize;
        return bookmark;
    }

    /// <summary>Back-patches the length reserved by <see cref="BeginMessage"/> as a padded 4-byte varint.</summary>
    public void EndMessage(int bookmark)
    {
        int length = _position - bookmark - ReservedLengthSize;
        if (length > MaxPaddedLength)
        {
            // Note: 4 padded varint bytes hold 2^28-1; a larger message moves right to make room for a 5-byte length.
            MoveForLength(bookmark, ReservedLengthSize, length);
            return;
        }
        byte[] b = _buffer;
        b[bookmark] = (byte)(length | 0x80);
        b[bookmark + 1] = (byte)((length >> 7) | 0x80);
        b[bookmark + 2] = (byte)((length >> 14) | 0x80);
        b[bookmark + 3] = (byte)(length >> 21);
    }

    /// <summary>Like <see cref="BeginMessage"/> but reserves one byte; for messages that are usually under 128 bytes.</summary>
    public int BeginSmallMessage(int fieldNumber)
    {
        WriteTag(fieldNumber, ProtoWireType.Len);
        Ensure(1);
        return _position++;
    }

    /// <summary>Back-patches the length reserved by <see cref="BeginSmallMessage"/>, moving the content when it needs more bytes.</summary>
    public void EndSmallMessage(int bookmark)
    {
        int length = _position - bookmark - 1;
        if (length < 0x80)
        {
            _buffer[bookmark] = (byte)length;
            return;
        }
        MoveForLength(bookmark, 1, length);
    }

    /// <summary>Moves a message's content right so that its length fits where <paramref name="reserved"/> bytes were kept, and writes it.</summary>
    private void MoveForLength(int bookmark, int reserved, int length)
    {
        int from = bookmark + reserved, by = VarintSize((uint)length) - reserved;
        Ensure(by);
        _buffer.AsSpan(from, _position - from).CopyTo(_buffer.AsSpan(from + by));
        _position += by;
        WriteVarintAt(bookmark, (uint)length);
    }

    /// <summary>Writes <paramref name="value"/> as a varint at <paramref name="pos"/> (room already ensured); returns the position after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int WriteVarintAt(int pos, ulong value)
    {
        byte[] buffer = _buffer;
        while (value >= 0x80)
        {
            buffer[pos++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[pos++] = (byte)value;
        return pos;
    }
}
