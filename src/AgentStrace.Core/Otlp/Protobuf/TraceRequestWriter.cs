using AgentStrace.Spans;
using static AgentStrace.Otlp.Protobuf.OtlpFieldNumbers;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// Encodes spans as an OTLP <c>ExportTraceServiceRequest</c> (the same bytes are a <c>TracesData</c> record).
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
        for (int i = 0; i < batch.Count; i++)
        {
            int bookmark = writer.BeginMessage(ExportTraceServiceRequest_Resource_Spans);
            WriteResourceSpans(writer, batch[i]);
            writer.EndMessage(bookmark);
        }
    }

    /// <summary>Writes the fields of one <c>ResourceSpans</c> message (without its own tag and length).</summary>
    public static void WriteResourceSpans(ProtoWriter writer, ResourceSpans resourceSpans)
    {
        int resource = writer.BeginMessage(ResourceSpans_Resource);
        AttributeWriter.WriteAll(writer, Resource_Attributes, resourceSpans.Resource);
        writer.EndMessage(resource);

        int scopeSpans = writer.BeginMessage(ResourceSpans_Scope_Spans);
        int scope = writer.BeginSmallMessage(ScopeSpans_Scope);
        if (resourceSpans.ScopeName.Length > 0) writer.WriteStringField(InstrumentationScope_Name, resourceSpans.ScopeName);
        if (resourceSpans.ScopeVersion.Length > 0) writer.WriteStringField(InstrumentationScope_Version, resourceSpans.ScopeVersion);
        writer.EndSmallMessage(scope);

        List<Span> spans = resourceSpans.Spans;
        for (int i = 0; i < spans.Count; i++)
        {
            int span = writer.BeginMessage(ScopeSpans_Spans);
            WriteSpan(writer, spans[i]);
            writer.EndMessage(span);
        }
        if (resourceSpans.SchemaUrl.Length > 0) writer.WriteStringField(ScopeSpans_Schema_Url, resourceSpans.SchemaUrl);
        writer.EndMessage(scopeSpans);
    }

    /// <summary>Writes the fields of one <c>Span</c> message (without its own tag and length), in field-number order.</summary>
    public static void WriteSpan(ProtoWriter writer, Span span)
    {
        writer.WriteBytesField(Span_Trace_Id, span.TraceId);
        writer.WriteBytesField(Span_Span_Id, span.SpanId);
        if (span.ParentSpanId.Length > 0) writer.WriteBytesField(Span_Parent_Span_Id, span.ParentSpanId);
        writer.WriteStringField(Span_Name, span.Name);
        if (span.Kind != SpanKind.Unspecified) writer.WriteEnumField(Span_Kind, (int)span.Kind);
        writer.WriteFixed64Field(Span_Start_Time_Unix_Nano, span.StartTimeUnixNano);
        writer.WriteFixed64Field(Span_End_Time_Unix_Nano, span.EndTimeUnixNano);
        AttributeWriter.WriteAll(writer, Span_Attributes, span.Attributes);

        List<SpanEvent> events = span.Events;
        for (int i = 0; i < events.Count; i++)
        {
            SpanEvent e = events[i];
            int ev = writer.BeginMessage(Span_Events);
            writer.WriteFixed64Field(Span_Event_Time_Unix_Nano, e.TimeUnixNano);
            writer.WriteStringField(Span_Event_Name, e.Name);
            AttributeWriter.WriteAll(writer, Span_Event_Attributes, e.Attributes);
            writer.EndMessage(ev);
        }
        if (span.DroppedEventsCount > 0) writer.WriteUInt64Field(Span_Dropped_Events_Count, span.DroppedEventsCount);

        if (span.Status != StatusCode.Unset || span.StatusMessage.Length > 0)
        {
            int status = writer.BeginSmallMessage(Span_Status);
            if (span.StatusMessage.Length > 0) writer.WriteStringField(Status_Message, span.StatusMessage);
            if (span.Status != StatusCode.Unset) writer.WriteEnumField(Status_Code, (int)span.Status);
            writer.EndSmallMessage(status);
        }
        if (span.Flags != 0) writer.WriteFixed32Field(Span_Flags, span.Flags);
    }
}
