using System.Text.Json;
using AgentStrace.Spans;

namespace AgentStrace.Otlp.Json;

/// <summary>
/// Writes spans as an OTLP/JSON <c>ExportTraceServiceRequest</c> (also a <c>TracesData</c> line for files).
/// </summary>
/// <remarks>
/// OTLP/JSON rules (opentelemetry-proto <c>docs/specification.md</c> §JSON Protobuf Encoding): ids are lowercase
/// hex, 64-bit integers are decimal strings, enums are integers, names are lowerCamelCase. Field order follows the
/// Python tool's payload (traceId, spanId, parentSpanId, name, kind, times, attributes, events, status);
/// <c>parentSpanId</c> is omitted on roots, <c>events</c> when empty, the status message when empty.
/// </remarks>
public static class OtlpJsonTraceWriter
{
    /// <summary>Writes one complete JSON object <c>{"resourceSpans":[…]}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<ResourceSpans> batch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(batch);
        writer.WriteStartObject();
        writer.WriteStartArray(JsonNames.ResourceSpans);
        for (int i = 0; i < batch.Count; i++) WriteResourceSpans(writer, batch[i]);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes one <c>ResourceSpans</c> object.</summary>
    public static void WriteResourceSpans(Utf8JsonWriter writer, ResourceSpans resourceSpans)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(JsonNames.Resource);
        OtlpJsonAttributes.WriteAll(writer, resourceSpans.Resource);
        writer.WriteEndObject();

        writer.WriteStartArray(JsonNames.ScopeSpans);
        writer.WriteStartObject();
        writer.WriteStartObject(JsonNames.Scope);
        writer.WriteString(JsonNames.Name, resourceSpans.ScopeName);
        if (resourceSpans.ScopeVersion.Length > 0) writer.WriteString(JsonNames.Version, resourceSpans.ScopeVersion);
        writer.WriteEndObject();
        writer.WriteStartArray(JsonNames.Spans);
        List<Span> spans = resourceSpans.Spans;
        for (int i = 0; i < spans.Count; i++) WriteSpan(writer, spans[i]);
        writer.WriteEndArray();
        if (resourceSpans.SchemaUrl.Length > 0) writer.WriteString(JsonNames.SchemaUrl, resourceSpans.SchemaUrl);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes one <c>Span</c> object.</summary>
    public static void WriteSpan(Utf8JsonWriter writer, Span span)
    {
        writer.WriteStartObject();
        WriteHex(writer, JsonNames.TraceId, span.TraceId);
        WriteHex(writer, JsonNames.SpanId, span.SpanId);
        if (span.ParentSpanId.Length > 0) WriteHex(writer, JsonNames.ParentSpanId, span.ParentSpanId);
        writer.WriteString(JsonNames.Name, span.Name);
        writer.WriteNumber(JsonNames.Kind, (int)span.Kind);
        WriteUInt64String(writer, JsonNames.StartTimeUnixNano, span.StartTimeUnixNano);
        WriteUInt64String(writer, JsonNames.EndTimeUnixNano, span.EndTimeUnixNano);
        OtlpJsonAttributes.WriteAll(writer, span.Attributes);

        List<SpanEvent> events = span.Events;
        if (events.Count > 0)
        {
            writer.WriteStartArray(JsonNames.Events);
            for (int i = 0; i < events.Count; i++)
            {
                SpanEvent e = events[i];
                writer.WriteStartObject();
                WriteUInt64String(writer, JsonNames.TimeUnixNano, e.TimeUnixNano);
                writer.WriteString(JsonNames.Name, e.Name);
                OtlpJsonAttributes.WriteAll(writer, e.Attributes);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (span.DroppedEventsCount > 0) writer.WriteNumber(JsonNames.DroppedEventsCount, span.DroppedEventsCount);

        writer.WriteStartObject(JsonNames.Status);
        writer.WriteNumber(JsonNames.Code, (int)span.Status);
        if (span.StatusMessage.Length > 0) writer.WriteString(JsonNames.Message, span.StatusMessage);
        writer.WriteEndObject();
        if (span.Flags != 0) writer.WriteNumber(JsonNames.Flags, span.Flags);
        writer.WriteEndObject();
    }

    /// <summary>Lowercase hex of an id, formatted into a stack buffer (ids are 8 or 16 bytes).</summary>
    public static void WriteHex(Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<byte> id)
    {
        Span<byte> hex = id.Length <= 64 ? stackalloc byte[id.Length * 2] : new byte[id.Length * 2];
        Convert.TryToHexStringLower(id, hex, out int written);
        writer.WriteString(name, hex[..written]);
    }

    /// <summary>A 64-bit integer as a decimal string (proto3 JSON mapping).</summary>
    public static void WriteUInt64String(Utf8JsonWriter writer, JsonEncodedText name, ulong value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out int written);
        writer.WriteString(name, digits[..written]);
    }
}
