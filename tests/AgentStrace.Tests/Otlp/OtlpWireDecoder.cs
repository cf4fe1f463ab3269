using System.Text.Json.Nodes;
using Google.Protobuf;

namespace AgentStrace.Tests.Otlp;

/// <summary>
/// Decodes an <c>ExportTraceServiceRequest</c> at wire level with Google.Protobuf's <see cref="CodedInputStream"/>
/// into the OTLP/JSON shape our JSON writer produces. It knows the OTLP field numbers and wire types independently
/// of the production code and throws on any unknown field or wrong wire type.
/// </summary>
public static class OtlpWireDecoder
{
    public static JsonObject DecodeRequest(byte[] bytes)
    {
        var list = new JsonArray();
        Read(bytes, (field, input) =>
        {
            Expect(field, 1);
            list.Add(ResourceSpans(input.ReadBytes()));
        });
        return new JsonObject { ["resourceSpans"] = list };
    }

    private static JsonObject ResourceSpans(ByteString bytes)
    {
        var result = new JsonObject();
        var scopeSpans = new JsonArray();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: result["resource"] = Resource(input.ReadBytes()); break;
                case 2: scopeSpans.Add(ScopeSpans(input.ReadBytes())); break;
                default: Unknown(field); break;
            }
        });
        result["scopeSpans"] = scopeSpans;
        return result;
    }

    private static JsonObject Resource(ByteString bytes)
    {
        var attributes = new JsonArray();
        Read(bytes, (field, input) =>
        {
            Expect(field, 1);
            attributes.Add(KeyValue(input.ReadBytes()));
        });
        return new JsonObject { ["attributes"] = attributes };
    }

    private static JsonObject ScopeSpans(ByteString bytes)
    {
        var result = new JsonObject();
        var spans = new JsonArray();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: result["scope"] = Scope(input.ReadBytes()); break;
                case 2: spans.Add(Span(input.ReadBytes())); break;
                default: Unknown(field); break;
            }
        });
        result["spans"] = spans;
        return result;
    }

    private static JsonObject Scope(ByteString bytes)
    {
        var result = new JsonObject();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: result["name"] = input.ReadString(); break;
                case 2: result["version"] = input.ReadString(); break;
                default: Unknown(field); break;
            }
        });
        return result;
    }

    public static JsonObject Span(ByteString bytes)
    {
        var span = new JsonObject();
        var attributes = new JsonArray();
        var events = new JsonArray();
        var status = new JsonObject { ["code"] = 0 };
        int kind = 0;
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: span["traceId"] = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 2: span["spanId"] = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 4: span["parentSpanId"] = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 5: span["name"] = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 7: span["startTimeUnixNano"] = input.ReadFixed64().ToString(); break;
                case 8: span["endTimeUnixNano"] = input.ReadFixed64().ToString(); break;
                case 9: attributes.Add(KeyValue(input.ReadBytes())); break;
                case 11: events.Add(Event(input.ReadBytes())); break;
                case 15: status = Status(input.ReadBytes()); break;
                case 16: span["flags"] = input.ReadFixed32(); break;
                default: Unknown(field); break;
            }
        });
        span["kind"] = kind;
        span["attributes"] = attributes;
        if (events.Count > 0) span["events"] = events;
        span["status"] = status;
        return span;
    }

    private static JsonObject Event(ByteString bytes)
    {
        var result = new JsonObject();
        var attributes = new JsonArray();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: result["timeUnixNano"] = input.ReadFixed64().ToString(); break;
                case 2: result["name"] = input.ReadString(); break;
                case 3: attributes.Add(KeyValue(input.ReadBytes())); break;
                default: Unknown(field); break;
            }
        });
        result["attributes"] = attributes;
        return result;
    }

    private static JsonObject Status(ByteString bytes)
    {
        var result = new JsonObject { ["code"] = 0 };
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 2: result["message"] = input.ReadString(); break;
                case 3: result["code"] = input.ReadEnum(); break;
                default: Unknown(field); break;
            }
        });
        return result;
    }

    private static JsonObject KeyValue(ByteString bytes)
    {
        var result = new JsonObject();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: result["key"] = input.ReadString(); break;
                case 2: result["value"] = AnyValue(input.ReadBytes()); break;
                default: Unknown(field); break;
            }
        });
        return result;
    }

    private static JsonObject AnyValue(ByteString bytes)
    {
        var result = new JsonObject();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: result["stringValue"] = input.ReadString(); break;
                case 2: result["boolValue"] = input.ReadBool(); break;
                case 3: result["intValue"] = input.ReadInt64().ToString(); break;
                case 4: result["doubleValue"] = input.ReadDouble(); break;
                case 5:
                    var values = new JsonArray();
                    Read(input.ReadBytes(), (f, i) =>
                    {
                        Expect(f, 1);
                        values.Add(AnyValue(i.ReadBytes()));
                    });
                    result["arrayValue"] = new JsonObject { ["values"] = values };
                    break;
                default: Unknown(field); break;
            }
        });
        return result;
    }

    private static void Read(ByteString bytes, Action<int, CodedInputStream> onField) => Read(bytes.ToByteArray(), onField);

    private static void Read(byte[] bytes, Action<int, CodedInputStream> onField)
    {
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            onField(field, input);
        }
    }

    private static void Expect(int field, int expected)
    {
        if (field != expected) Unknown(field);
    }

    private static void Unknown(int field) => throw new InvalidDataException($"unexpected field number {field}");
}
