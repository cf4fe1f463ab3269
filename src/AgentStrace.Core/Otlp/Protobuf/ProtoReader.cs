using System.Buffers.Binary;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// The one forward-only protobuf reader of the product: the messages agent-strace receives (export responses,
/// <c>google.rpc.Status</c>, <c>RetryInfo</c>) and its own spooled requests (<see cref="TraceRequestReader"/>).
/// Malformed input makes <see cref="TryReadTag"/> return false and sets <see cref="Failed"/>.
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;
    private bool _failed;

    public readonly bool Failed => _failed;

    /// <summary>Reads the next tag; false at the end or on malformed input.</summary>
    public bool TryReadTag(out int fieldNumber, out ProtoWireType wireType)
    {
        fieldNumber = 0;
        wireType = ProtoWireType.Varint;
        if (_failed || _position >= _data.Length) return false;
        ulong tag = ReadVarint();
        if (_failed || tag >> 3 == 0 || tag >> 3 > int.MaxValue) return Fail();
        fieldNumber = (int)(tag >> 3);
        wireType = (ProtoWireType)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) { Fail(); return 0; }
            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        Fail();
        return 0;
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        ulong length = ReadVarint();
        if (_failed || length > (ulong)(_data.Length - _position)) { Fail(); return default; }
        ReadOnlySpan<byte> slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    public ulong ReadFixed64()
    {
        if (_data.Length - _position < 8) { Fail(); return 0; }
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return v;
    }

    public uint ReadFixed32()
    {
        if (_data.Length - _position < 4) { Fail(); return 0; }
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_data[_position..]);
        _position += 4;
        return v;
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadLengthDelimited());

    /// <summary>Throws <see cref="FormatException"/> when the input so far was malformed (for readers that must not guess).</summary>
    public readonly void ThrowIfFailed()
    {
        if (_failed) throw new FormatException("malformed protobuf (truncated field, bad varint or wire type)");
    }

    /// <summary>Skips a field's value of the given wire type.</summary>
    public void Skip(ProtoWireType wireType)
    {
        switch (wireType)
        {
            case ProtoWireType.Varint: ReadVarint(); break;
            case ProtoWireType.I64: ReadFixed64(); break;
            case ProtoWireType.Len: ReadLengthDelimited(); break;
            case ProtoWireType.I32:
                if (_data.Length - _position < 4) Fail();
                else _position += 4;
                break;
            default: Fail(); break;
        }
    }

    private bool Fail()
    {
        _failed = true;
        return false;
    }
}
