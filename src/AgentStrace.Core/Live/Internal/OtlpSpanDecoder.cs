using System.Buffers.Binary;
using System.Text;
using AgentStrace.Spans;
using static AgentStrace.Otlp.Protobuf.OtlpFieldNumbers;

namespace AgentStrace.Live.Internal;

/// <summary>
/// Reads back the OTLP protobuf that <see cref="Otlp.Protobuf.TraceRequestWriter"/> writes for a spool record, so the
/// sender can re-encode spooled spans for any protocol (protobuf, JSON, gRPC) and merge one session's spans into
/// one <c>ResourceSpans</c>. Only the fields agent-strace writes are decoded; others are skipped.
/// </summary>
internal ref struct OtlpSpanDecoder(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    /// <summary>Decodes an <c>ExportTraceServiceRequest</c>; throws <see cref="FormatException"/> on malformed input.</summary>
    public static List<ResourceSpans> DecodeRequest(ReadOnlySpan<byte> request)
    {
        var list = new List<ResourceSpans>();
        var r = new OtlpSpanDecoder(request);
        while (r.Next(out int field, out int wire))
        {
            if (field == ExportTraceServiceRequest_Resource_Spans && wire == 2) list.Add(ResourceSpansOf(r.Bytes()));
            else r.Skip(wire);
        }
        return list;
    }

    private static ResourceSpans ResourceSpansOf(ReadOnlySpan<byte> data)
    {
        var attributes = new List<SpanAttribute>();
        string scopeName = "", scopeVersion = "", schemaUrl = "";
        var spans = new List<Span>();
        var r = new OtlpSpanDecoder(data);
        while (r.Next(out int field, out int wire))
        {
            if (field == ResourceSpans_Resource && wire == 2)
            {
                var res = new OtlpSpanDecoder(r.Bytes());
                while (res.Next(out int f, out int w))
                {
                    if (f == Resource_Attributes && w == 2) attributes.Add(KeyValueOf(res.Bytes())); else res.Skip(w);
                }
            }
            else if (field == ResourceSpans_Scope_Spans && wire == 2)
            {
                var ss = new OtlpSpanDecoder(r.Bytes());
                while (ss.Next(out int f, out int w))
                {
                    if (f == ScopeSpans_Scope && w == 2)
                    {
                        var scope = new OtlpSpanDecoder(ss.Bytes());
                        while (scope.Next(out int sf, out int sw))
                        {
                            if (sf == InstrumentationScope_Name && sw == 2) scopeName = scope.String();
                            else if (sf == InstrumentationScope_Version && sw == 2) scopeVersion = scope.String();
                            else scope.Skip(sw);
                        }
                    }
                    else if (f == ScopeSpans_Spans && w == 2) spans.Add(SpanOf(ss.Bytes()));
                    else if (f == ScopeSpans_Schema_Url && w == 2) schemaUrl = ss.String();
                    else ss.Skip(w);
                }
            }
            else r.Skip(wire);
        }
        var rs = new ResourceSpans { ScopeName = scopeName, ScopeVersion = scopeVersion, SchemaUrl = schemaUrl };
        rs.Resource.AddRange(attributes);
        rs.Spans.AddRange(spans);
        return rs;
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
        var r = new OtlpSpanDecoder(data);
        while (r.Next(out int field, out int wire))
        {
            switch (field)
            {
                case Span_Trace_Id when wire == 2: traceId = r.Bytes().ToArray(); break;
                case Span_Span_Id when wire == 2: spanId = r.Bytes().ToArray(); break;
                case Span_Parent_Span_Id when wire == 2: parent = r.Bytes().ToArray(); break;
                case Span_Name when wire == 2: name = r.String(); break;
                case Span_Kind when wire == 0: kind = (int)r.Varint(); break;
                case Span_Start_Time_Unix_Nano when wire == 1: start = r.Fixed64(); break;
                case Span_End_Time_Unix_Nano when wire == 1: end = r.Fixed64(); break;
                case Span_Attributes when wire == 2: attributes.Add(KeyValueOf(r.Bytes())); break;
                case Span_Events when wire == 2: events.Add(EventOf(r.Bytes())); break;
                case Span_Flags when wire == 5: flags = r.Fixed32(); break;
                case Span_Status when wire == 2:
                    var s = new OtlpSpanDecoder(r.Bytes());
                    while (s.Next(out int f, out int w))
                    {
                        if (f == Status_Message && w == 2) statusMessage = s.String();
                        else if (f == Status_Code && w == 0) status = (int)s.Varint();
                        else s.Skip(w);
                    }
                    break;
                default: r.Skip(wire); break;
            }
        }
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
        var r = new OtlpSpanDecoder(data);
        while (r.Next(out int field, out int wire))
        {
            if (field == Span_Event_Time_Unix_Nano && wire == 1) time = r.Fixed64();
            else if (field == Span_Event_Name && wire == 2) name = r.String();
            else if (field == Span_Event_Attributes && wire == 2) attributes.Add(KeyValueOf(r.Bytes()));
            else r.Skip(wire);
        }
        var e = new SpanEvent(name, time);
        e.Attributes.AddRange(attributes);
        return e;
    }

    private static SpanAttribute KeyValueOf(ReadOnlySpan<byte> data)
    {
        string key = "";
        AttributeValue value = AttributeValue.Of("");
        var r = new OtlpSpanDecoder(data);
        while (r.Next(out int field, out int wire))
        {
            if (field == KeyValue_Key && wire == 2) key = r.String();
            else if (field == KeyValue_Value && wire == 2) value = AnyValueOf(r.Bytes());
            else r.Skip(wire);
        }
        return new SpanAttribute(key, value);
    }

    private static AttributeValue AnyValueOf(ReadOnlySpan<byte> data)
    {
        var r = new OtlpSpanDecoder(data);
        AttributeValue value = AttributeValue.Of("");
        while (r.Next(out int field, out int wire))
        {
            switch (field)
            {
                case AnyValue_String_Value when wire == 2: value = AttributeValue.Of(r.String()); break;
                case AnyValue_Bool_Value when wire == 0: value = AttributeValue.Of(r.Varint() != 0); break;
                case AnyValue_Int_Value when wire == 0: value = AttributeValue.Of((long)r.Varint()); break;
                case AnyValue_Double_Value when wire == 1: value = AttributeValue.Of(BitConverter.UInt64BitsToDouble(r.Fixed64())); break;
                case AnyValue_Array_Value when wire == 2:
                    var items = new List<string>();
                    var a = new OtlpSpanDecoder(r.Bytes());
                    while (a.Next(out int f, out int w))
                    {
                        if (f == ArrayValue_Values && w == 2) items.Add(AnyValueOf(a.Bytes()).String); else a.Skip(w);
                    }
                    value = AttributeValue.Of(items.ToArray());
                    break;
                default: r.Skip(wire); break;
            }
        }
        return value;
    }

    private bool Next(out int field, out int wire)
    {
        field = wire = 0;
        if (_pos >= _data.Length) return false;
        ulong tag = Varint();
        field = (int)(tag >> 3);
        wire = (int)(tag & 7);
        if (field == 0) throw new FormatException("protobuf field number 0");
        return true;
    }

    private ulong Varint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length) throw new FormatException("truncated varint");
            byte b = _data[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new FormatException("varint too long");
    }

    private ulong Fixed64()
    {
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        return v;
    }

    private uint Fixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private ReadOnlySpan<byte> Bytes() => Take(checked((int)Varint()));

    private string String() => Encoding.UTF8.GetString(Bytes());

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || _pos + n > _data.Length) throw new FormatException("truncated protobuf field");
        ReadOnlySpan<byte> s = _data.Slice(_pos, n);
        _pos += n;
        return s;
    }

    private void Skip(int wire)
    {
        switch (wire)
        {
            case 0: Varint(); break;
            case 1: Take(8); break;
            case 2: Bytes(); break;
            case 5: Take(4); break;
            default: throw new FormatException($"unsupported protobuf wire type {wire}");
        }
    }
}
