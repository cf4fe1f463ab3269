using AgentStrace.Spans;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// Encodes spans as an OTLP <c>ExportTraceServiceRequest</c> (the same bytes are a <c>TracesData</c> record), with the
/// writers generated from <c>otlp.protoschema</c> into <see cref="OtlpProtobuf"/>.
/// </summary>
/// <remarks>
/// Allocation-free per span: ids are copied from the span's arrays, strings are encoded straight into the
/// writer's buffer and indexed loops avoid enumerator boxing. Lists are not copied.
/// </remarks>
public static class TraceRequestWriter
{
    /// <summary>Appends one <c>ExportTraceServiceRequest</c> holding <paramref name="batch"/> to <paramref name="writer"/>.</summary>
    public static void Write(ProtoWriter writer, IReadOnlyList<ResourceSpans> batch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(batch);
        OtlpProtobuf.WriteExportTraceServiceRequest(writer, batch);
    }

    /// <summary>Writes the fields of one <c>ResourceSpans</c> message (without its own tag and length).</summary>
    public static void WriteResourceSpans(ProtoWriter writer, ResourceSpans resourceSpans) => OtlpProtobuf.WriteResourceSpans(writer, resourceSpans);

    /// <summary>Writes the fields of one <c>Span</c> message (without its own tag and length), in field-number order.</summary>
    public static void WriteSpan(ProtoWriter writer, Span span) => OtlpProtobuf.WriteSpan(writer, span);
}
