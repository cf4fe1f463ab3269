using System.Text.Json;
using AgentStrace.Spans;

namespace AgentStrace.Otlp.Json;

/// <summary>Writes OTLP/JSON <c>KeyValue</c> arrays; shared by the trace and metrics JSON writers.</summary>
public static class OtlpJsonAttributes
{
    /// <summary>Writes <c>"attributes":[…]</c> (always present, possibly empty).</summary>
    public static void WriteAll(Utf8JsonWriter writer, List<SpanAttribute> attributes)
    {
        writer.WriteStartArray(JsonNames.Attributes);
        for (int i = 0; i < attributes.Count; i++)
        {
            SpanAttribute a = attributes[i];
            writer.WriteStartObject();
            writer.WriteString(JsonNames.Key, a.Key);
            writer.WritePropertyName(JsonNames.Value);
            WriteAnyValue(writer, a.Value);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes one <c>AnyValue</c> object.</summary>
    public static void WriteAnyValue(Utf8JsonWriter writer, in AttributeValue value)
    {
        writer.WriteStartObject();
        switch (value.Kind)
        {
            case AttributeKind.String when value.TryGetUtf8(out ReadOnlySpan<byte> utf8):
                writer.WriteString(JsonNames.StringValue, utf8);
                break;
            case AttributeKind.String:
                writer.WriteString(JsonNames.StringValue, value.String);
                break;
            case AttributeKind.Bool:
                writer.WriteBoolean(JsonNames.BoolValue, value.Bool);
                break;
            case AttributeKind.Int:
                Span<byte> digits = stackalloc byte[20];
                value.Int.TryFormat(digits, out int written);
                writer.WriteString(JsonNames.IntValue, digits[..written]);
                break;
            case AttributeKind.Double:
                WriteDouble(writer, value.Double);
                break;
            case AttributeKind.StringArray:
                writer.WriteStartObject(JsonNames.ArrayValue);
                writer.WriteStartArray(JsonNames.Values);
                string[] items = value.Array;
                for (int i = 0; i < items.Length; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteString(JsonNames.StringValue, items[i]);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
        }
        writer.WriteEndObject();
    }

    // Note: Utf8JsonWriter throws on NaN/Infinity; proto3 JSON spells them as the strings below.
    private static void WriteDouble(Utf8JsonWriter writer, double d)
    {
        if (double.IsFinite(d)) writer.WriteNumber(JsonNames.DoubleValue, d);
        else if (double.IsNaN(d)) writer.WriteString(JsonNames.DoubleValue, "NaN");
        else writer.WriteString(JsonNames.DoubleValue, d > 0 ? "Infinity" : "-Infinity");
    }
}
