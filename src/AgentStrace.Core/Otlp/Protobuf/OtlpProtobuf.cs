using AgentStrace.Spans;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// The OTLP protobuf codec. Its <c>WriteX</c>, <c>SizeX</c> and <c>ReadX</c> methods are generated at build time from
/// <c>otlp.protoschema</c> (next to this file); this part holds what the schema's <c>read</c> lines call to build the
/// span model from the decoded fields.
/// </summary>
public static partial class OtlpProtobuf
{
    internal static ResourceSpans NewResourceSpans(List<SpanAttribute>? resource, string scopeName, string scopeVersion, string schemaUrl, List<Span> spans)
    {
        var rs = new ResourceSpans { ScopeName = scopeName, ScopeVersion = scopeVersion, SchemaUrl = schemaUrl };
        if (resource is not null) rs.Resource.AddRange(resource);
        rs.Spans.AddRange(spans);
        return rs;
    }

    internal static Span NewSpan(
        byte[] traceId, byte[] spanId, byte[] parentSpanId, string name, int kind, ulong start, ulong end,
        List<SpanAttribute> attributes, List<SpanEvent> events, ulong droppedEvents, int status, string statusMessage, uint flags)
    {
        var span = new Span
        {
            TraceId = traceId, SpanId = spanId, ParentSpanId = parentSpanId, Name = name, Kind = (SpanKind)kind,
            StartTimeUnixNano = start, EndTimeUnixNano = end, Flags = flags,
            Status = (StatusCode)status, StatusMessage = statusMessage,
            DroppedEventsCount = (uint)Math.Min(droppedEvents, uint.MaxValue),
        };
        span.Attributes.AddRange(attributes);
        span.Events.AddRange(events);
        return span;
    }

    internal static SpanEvent NewSpanEvent(ulong timeUnixNano, string name, List<SpanAttribute> attributes)
    {
        var e = new SpanEvent(name, timeUnixNano);
        e.Attributes.AddRange(attributes);
        return e;
    }
}
