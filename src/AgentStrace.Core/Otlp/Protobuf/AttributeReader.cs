using System.Text;
using AgentStrace.Spans;
using static AgentStrace.Otlp.Protobuf.OtlpFieldNumbers;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// Reads a <c>KeyValue</c> back into a <see cref="SpanAttribute"/>: the external codec the generated readers call
/// (<c>otlp.protoschema</c>). Reads the value kinds <see cref="AttributeWriter"/> writes; others are skipped.
/// </summary>
public static class AttributeReader
{
    /// <summary>Reads one <c>KeyValue</c>; throws <see cref="FormatException"/> on malformed input.</summary>
    public static SpanAttribute Read(ReadOnlySpan<byte> data)
    {
        string key = "";
        AttributeValue value = AttributeValue.Of("");
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field == KeyValue_Key && wire == ProtoWireType.Len) key = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
            else if (field == KeyValue_Value && wire == ProtoWireType.Len) value = ReadAnyValue(reader.ReadLengthDelimited());
            else reader.Skip(wire);
        }
        ThrowIfFailed(reader);
        return new SpanAttribute(key, value);
    }

    private static AttributeValue ReadAnyValue(ReadOnlySpan<byte> data)
    {
        AttributeValue value = AttributeValue.Of("");
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out int field, out ProtoWireType wire))
        {
            switch (field)
            {
                case AnyValue_String_Value when wire == ProtoWireType.Len:
                    value = AttributeValue.Of(Encoding.UTF8.GetString(reader.ReadLengthDelimited()));
                    break;
                case AnyValue_Bool_Value when wire == ProtoWireType.Varint:
                    value = AttributeValue.Of(reader.ReadVarint() != 0);
                    break;
                case AnyValue_Int_Value when wire == ProtoWireType.Varint:
                    value = AttributeValue.Of((long)reader.ReadVarint());
                    break;
                case AnyValue_Double_Value when wire == ProtoWireType.I64:
                    value = AttributeValue.Of(BitConverter.UInt64BitsToDouble(reader.ReadFixed64()));
                    break;
                case AnyValue_Array_Value when wire == ProtoWireType.Len:
                    value = AttributeValue.Of(ReadStringArray(reader.ReadLengthDelimited()));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        ThrowIfFailed(reader);
        return value;
    }

    private static string[] ReadStringArray(ReadOnlySpan<byte> data)
    {
        var items = new List<string>();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field == ArrayValue_Values && wire == ProtoWireType.Len) items.Add(ReadAnyValue(reader.ReadLengthDelimited()).String);
            else reader.Skip(wire);
        }
        ThrowIfFailed(reader);
        return items.ToArray();
    }

    private static void ThrowIfFailed(in ProtoReader reader)
    {
        if (reader.Failed) throw new FormatException("Malformed protobuf in an OTLP attribute (KeyValue).");
    }
}
