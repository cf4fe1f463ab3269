using AgentStrace.Spans;
using static AgentStrace.Otlp.Protobuf.OtlpFieldNumbers;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// Reads back the OTLP protobuf that <see cref="TraceRequestWriter"/> writes (a spool record), so the watch sender
/// can re-encode spooled spans for any protocol (protobuf, JSON, gRPC) and merge one session's spans into one
/// <c>ResourceSpans</c>. Only the fields agent-strace writes are decoded; others are skipped.
/// </summary>
public static class TraceRequestReader
{
    /// <summary>Decodes an <c>ExportTraceServiceRequest</c>; throws <see cref="FormatException"/> on malformed input.</summary>
    public static List<ResourceSpans> Read(ReadOnlySpan<byte> request)
    {
        var list = new List<ResourceSpans>();
        var r = new ProtoReader(request);
        while (r.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field == ExportTraceServiceRequest_Resource_Spans && wire == ProtoWireType.Len) list.Add(ResourceSpansOf(r.ReadLengthDelimited()));
            else r.Skip(wire);
        }
        r.ThrowIfFailed();
        return list;
    }

    private static ResourceSpans ResourceSpansOf(ReadOnlySpan<byte> data)
    {
        var attributes = new List<SpanAttribute>();
        var spans = new List<Span>();
        string scopeName = "", scopeVersion = "", schemaUrl = "";
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field == ResourceSpans_Resource && wire == ProtoWireType.Len)
            {
                var resource = new ProtoReader(r.ReadLengthDelimited());
                while (resource.TryReadTag(out int f, out ProtoWireType w))
                {
                    if (f == Resource_Attributes && w == ProtoWireType.Len) attributes.Add(KeyValueOf(resource.ReadLengthDelimited()));
                    else resource.Skip(w);
                }
                resource.ThrowIfFailed();
            }
            else if (field == ResourceSpans_Scope_Spans && wire == ProtoWireType.Len)
            {
                ScopeSpansInto(r.ReadLengthDelimited(), ref scopeName, ref scopeVersion, ref schemaUrl, spans);
            }
            else r.Skip(wire);
        }
        r.ThrowIfFailed();
        var rs = new ResourceSpans { ScopeName = scopeName, ScopeVersion = scopeVersion, SchemaUrl = schemaUrl };
        rs.Resource.AddRange(attributes);
        rs.Spans.AddRange(spans);
        return rs;
    }

    private static void ScopeSpansInto(ReadOnlySpan<byte> data, ref string scopeName, ref string scopeVersion, ref string schemaUrl, List<Span> spans)
    {
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field == ScopeSpans_Scope && wire == ProtoWireType.Len)
            {
                var scope = new ProtoReader(r.ReadLengthDelimited());
                while (scope.TryReadTag(out int f, out ProtoWireType w))
                {
                    if (f == InstrumentationScope_Name && w == ProtoWireType.Len) scopeName = scope.ReadString();
                    else if (f == InstrumentationScope_Version && w == ProtoWireType.Len) scopeVersion = scope.ReadString();
                    else scope.Skip(w);
                }
                scope.ThrowIfFailed();
            }
            else if (field == ScopeSpans_Spans && wire == ProtoWireType.Len) spans.Add(SpanOf(r.ReadLengthDelimited()));
            else if (field == ScopeSpans_Schema_Url && wire == ProtoWireType.Len) schemaUrl = r.ReadString();
            else r.Skip(wire);
        }
        r.ThrowIfFailed();
    }

    private static Span SpanOf(ReadOnlySpan<byte> data)
    {
        byte[] traceId = [], spanId = [], parent = [];
        string name = "", statusMessage = "";
        int kind = 0, status = 0;
        ulong start = 0, end = 0;
        uint flags = 0;
        var attributes = new List<SpanAttribute>();
        var events = new List<SpanEvent>();
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out ProtoWireType wire))
        {
            switch (field)
            {
                case Span_Trace_Id when wire == ProtoWireType.Len: traceId = r.ReadLengthDelimited().ToArray(); break;
                case Span_Span_Id when wire == ProtoWireType.Len: spanId = r.ReadLengthDelimited().ToArray(); break;
                case Span_Parent_Span_Id when wire == ProtoWireType.Len: parent = r.ReadLengthDelimited().ToArray(); break;
                case Span_Name when wire == ProtoWireType.Len: name = r.ReadString(); break;
                case Span_Kind when wire == ProtoWireType.Varint: kind = (int)r.ReadVarint(); break;
                case Span_Start_Time_Unix_Nano when wire == ProtoWireType.I64: start = r.ReadFixed64(); break;
                case Span_End_Time_Unix_Nano when wire == ProtoWireType.I64: end = r.ReadFixed64(); break;
                case Span_Attributes when wire == ProtoWireType.Len: attributes.Add(KeyValueOf(r.ReadLengthDelimited())); break;
                case Span_Events when wire == ProtoWireType.Len: events.Add(EventOf(r.ReadLengthDelimited())); break;
                case Span_Flags when wire == ProtoWireType.I32: flags = r.ReadFixed32(); break;
                case Span_Status when wire == ProtoWireType.Len:
                    var s = new ProtoReader(r.ReadLengthDelimited());
                    while (s.TryReadTag(out int f, out ProtoWireType w))
                    {
                        if (f == Status_Message && w == ProtoWireType.Len) statusMessage = s.ReadString();
                        else if (f == Status_Code && w == ProtoWireType.Varint) status = (int)s.ReadVarint();
                        else s.Skip(w);
                    }
                    s.ThrowIfFailed();
                    break;
                default: r.Skip(wire); break;
            }
        }
        r.ThrowIfFailed();
        var span = new Span
        {
            TraceId = traceId, SpanId = spanId, ParentSpanId = parent, Name = name, Kind = (SpanKind)kind,
            StartTimeUnixNano = start, EndTimeUnixNano = end, Flags = flags,
            Status = (StatusCode)status, StatusMessage = statusMessage,
        };
        span.Attributes.AddRange(attributes);
        span.Events.AddRange(events);
        return span;
    }

    private static SpanEvent EventOf(ReadOnlySpan<byte> data)
    {
        ulong time = 0;
        string name = "";
        var attributes = new List<SpanAttribute>();
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field == Span_Event_Time_Unix_Nano && wire == ProtoWireType.I64) time = r.ReadFixed64();
            else if (field == Span_Event_Name && wire == ProtoWireType.Len) name = r.ReadString();
            else if (field == Span_Event_Attributes && wire == ProtoWireType.Len) attributes.Add(KeyValueOf(r.ReadLengthDelimited()));
            else r.Skip(wire);
        }
        r.ThrowIfFailed();
        var e = new SpanEvent(name, time);
        e.Attributes.AddRange(attributes);
        return e;
    }

    private static SpanAttribute KeyValueOf(ReadOnlySpan<byte> data)
    {
        string key = "";
        AttributeValue value = AttributeValue.Of("");
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field == KeyValue_Key && wire == ProtoWireType.Len) key = r.ReadString();
            else if (field == KeyValue_Value && wire == ProtoWireType.Len) value = AnyValueOf(r.ReadLengthDelimited());
            else r.Skip(wire);
        }
        r.ThrowIfFailed();
        return new SpanAttribute(key, value);
    }

    private static AttributeValue AnyValueOf(ReadOnlySpan<byte> data)
    {
        AttributeValue value = AttributeValue.Of("");
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out ProtoWireType wire))
        {
            switch (field)
            {
                case AnyValue_String_Value when wire == ProtoWireType.Len: value = AttributeValue.Of(r.ReadString()); break;
                case AnyValue_Bool_Value when wire == ProtoWireType.Varint: value = AttributeValue.Of(r.ReadVarint() != 0); break;
                case AnyValue_Int_Value when wire == ProtoWireType.Varint: value = AttributeValue.Of((long)r.ReadVarint()); break;
                case AnyValue_Double_Value when wire == ProtoWireType.I64: value = AttributeValue.Of(BitConverter.UInt64BitsToDouble(r.ReadFixed64())); break;
                case AnyValue_Array_Value when wire == ProtoWireType.Len:
                    var items = new List<string>();
                    var a = new ProtoReader(r.ReadLengthDelimited());
                    while (a.TryReadTag(out int f, out ProtoWireType w))
                    {
                        if (f == ArrayValue_Values && w == ProtoWireType.Len) items.Add(AnyValueOf(a.ReadLengthDelimited()).String);
                        else a.Skip(w);
                    }
                    a.ThrowIfFailed();
                    value = AttributeValue.Of(items.ToArray());
                    break;
                default: r.Skip(wire); break;
            }
        }
        r.ThrowIfFailed();
        return value;
    }
}
