using System.Text;
using AgentStrace.Spans;
using static AgentStrace.Otlp.Protobuf.OtlpFieldNumbers;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// Writes and sizes <c>KeyValue</c>/<c>AnyValue</c> messages: the external codec the generated trace and metrics
/// writers call for every attribute (<c>otlp.protoschema</c>; <see cref="AttributeReader"/> reads them back).
/// </summary>
/// <remarks>
/// Written by hand because attributes are most of the payload (tool inputs, prompts): string attributes are sized up
/// front from their UTF-8 byte counts so their nested lengths are written once and the content is never moved, and
/// encoded keys are cached per thread.
/// </remarks>
public static class AttributeWriter
{
    /// <summary>Writes one <c>KeyValue</c> as field <paramref name="fieldNumber"/>.</summary>
    public static void Write(ProtoWriter writer, int fieldNumber, in SpanAttribute attribute)
    {
        AttributeValue value = attribute.Value;
        if (value.Kind == AttributeKind.String)
        {
            WriteStringKeyValue(writer, fieldNumber, attribute.Key, value);
            return;
        }
        int kv = writer.BeginSmallMessage(fieldNumber);
        writer.WriteRaw(KeyField(attribute.Key));
        int any = writer.BeginSmallMessage(KeyValue_Value);
        WriteAnyValueFields(writer, value);
        writer.EndSmallMessage(any);
        writer.EndSmallMessage(kv);
    }

    /// <summary>The number of bytes <see cref="Write"/> writes for <paramref name="attribute"/>.</summary>
    public static int Size(int fieldNumber, in SpanAttribute attribute)
    {
        int kvLength = KeyField(attribute.Key).Length + ProtoWriter.LenFieldSize(KeyValue_Value, AnyValueSize(attribute.Value));
        return ProtoWriter.LenFieldSize(fieldNumber, kvLength);
    }

    private static int AnyValueSize(in AttributeValue value)
    {
        switch (value.Kind)
        {
            case AttributeKind.String when value.TryGetUtf8(out ReadOnlySpan<byte> utf8):
                return ProtoWriter.LenFieldSize(AnyValue_String_Value, utf8.Length);
            case AttributeKind.String:
                return ProtoWriter.LenFieldSize(AnyValue_String_Value, Encoding.UTF8.GetByteCount(value.String));
            case AttributeKind.Bool:
                return 2;
            case AttributeKind.Int:
                return 1 + ProtoWriter.VarintSize((ulong)value.Int);
            case AttributeKind.Double:
                return 9;
            case AttributeKind.StringArray:
                int content = 0;
                foreach (string item in value.Array)
                {
                    content += ProtoWriter.LenFieldSize(ArrayValue_Values, ProtoWriter.LenFieldSize(AnyValue_String_Value, Encoding.UTF8.GetByteCount(item)));
                }
                return ProtoWriter.MessageFieldSize(AnyValue_Array_Value, content);
            default:
                return 0;
        }
    }

    /// <summary>The fields of an <c>AnyValue</c> (without its tag and length).</summary>
    public static void WriteAnyValueFields(ProtoWriter writer, in AttributeValue value)
    {
        switch (value.Kind)
        {
            case AttributeKind.String when value.TryGetUtf8(out ReadOnlySpan<byte> utf8):
                writer.WriteBytesField(AnyValue_String_Value, utf8);
                break;
            case AttributeKind.String:
                writer.WriteStringField(AnyValue_String_Value, value.String);
                break;
            case AttributeKind.Bool:
                writer.WriteBoolField(AnyValue_Bool_Value, value.Bool);
                break;
            case AttributeKind.Int:
                writer.WriteInt64Field(AnyValue_Int_Value, value.Int);
                break;
            case AttributeKind.Double:
                writer.WriteDoubleField(AnyValue_Double_Value, value.Double);
                break;
            case AttributeKind.StringArray:
                int array = writer.BeginMessage(AnyValue_Array_Value);
                string[] items = value.Array;
                for (int i = 0; i < items.Length; i++)
                {
                    int item = writer.BeginSmallMessage(ArrayValue_Values);
                    writer.WriteStringField(AnyValue_String_Value, items[i]);
                    writer.EndSmallMessage(item);
                }
                writer.EndMessage(array);
                break;
        }
    }

    private static void WriteStringKeyValue(ProtoWriter writer, int fieldNumber, string key, in AttributeValue attribute)
    {
        bool isUtf8 = attribute.TryGetUtf8(out ReadOnlySpan<byte> utf8);
        string value = isUtf8 ? "" : attribute.String;
        byte[] keyField = KeyField(key);
        int valueBytes = isUtf8 ? utf8.Length : Encoding.UTF8.GetByteCount(value);
        int anyLength = ProtoWriter.LenFieldSize(AnyValue_String_Value, valueBytes);
        int kvLength = keyField.Length + ProtoWriter.LenFieldSize(KeyValue_Value, anyLength);

        writer.WriteTag(fieldNumber, ProtoWireType.Len);
        writer.WriteVarint32((uint)kvLength);
        writer.WriteRaw(keyField);
        writer.WriteTag(KeyValue_Value, ProtoWireType.Len);
        writer.WriteVarint32((uint)anyLength);
        writer.WriteTag(AnyValue_String_Value, ProtoWireType.Len);
        writer.WriteVarint32((uint)valueBytes);
        if (isUtf8) writer.WriteRaw(utf8);
        else writer.WriteUtf8Raw(value, valueBytes);
    }

    private const int KeySlots = 128;
    [ThreadStatic] private static string?[]? t_keys;
    [ThreadStatic] private static byte[][]? t_keyFields;

    // The encoded key field (tag, length, UTF-8) of an attribute name. Names are a few literals and interned input
    // keys, so a cache keyed by string identity hits almost always and saves a UTF-16 -> UTF-8 pass per attribute.
    private static byte[] KeyField(string key)
    {
        string?[] keys = t_keys ??= new string?[KeySlots];
        byte[][] fields = t_keyFields ??= new byte[KeySlots][];
        int slot = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key) & (KeySlots - 1);
        if (ReferenceEquals(keys[slot], key)) return fields[slot];
        int length = Encoding.UTF8.GetByteCount(key);
        using var w = new ProtoWriter(ProtoWriter.LenFieldSize(KeyValue_Key, length));
        w.WriteTag(KeyValue_Key, ProtoWireType.Len);
        w.WriteVarint32((uint)length);
        w.WriteUtf8Raw(key, length);
        byte[] field = w.WrittenSpan.ToArray();
        keys[slot] = key;
        fields[slot] = field;
        return field;
    }
}
