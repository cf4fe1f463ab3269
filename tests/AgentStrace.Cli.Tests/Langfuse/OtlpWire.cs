using Google.Protobuf;

namespace AgentStrace.Cli.Tests.Langfuse;

/// <summary>One span as decoded from an OTLP <c>ExportTraceServiceRequest</c>, with its resource's attributes.</summary>
public sealed record WireSpan(string TraceId, string SpanId, string ParentSpanId, string Name, int StatusCode,
    IReadOnlyDictionary<string, object> Attributes, IReadOnlyDictionary<string, object> Resource)
{
    public string? Str(string key) => Attributes.TryGetValue(key, out object? v) ? v as string : null;
}

/// <summary>
/// A wire-level decoder of OTLP trace requests (opentelemetry-proto trace/v1, common/v1 field numbers) written
/// against <see cref="CodedInputStream"/>, independent of the encoder under test.
/// </summary>
public static class OtlpWire
{
    public static List<WireSpan> DecodeTraceRequest(byte[] body)
    {
        var spans = new List<WireSpan>();
        foreach (byte[] resourceSpans in Fields(body, 1))
        {
            var resource = new Dictionary<string, object>();
            foreach (byte[] r in Fields(resourceSpans, 1)) Attributes(r, 1, resource);
            foreach (byte[] scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (byte[] span in Fields(scopeSpans, 2)) spans.Add(DecodeSpan(span, resource));
            }
        }
        return spans;
    }

    /// <summary>An OTLP/JSON <c>ExportTraceServiceRequest</c> (hex ids, lowerCamelCase keys), decoded the same way.</summary>
    public static List<WireSpan> DecodeJsonTraceRequest(byte[] body)
    {
        var spans = new List<WireSpan>();
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        foreach (var rs in doc.RootElement.GetProperty("resourceSpans").EnumerateArray())
        {
            var resource = new Dictionary<string, object>();
            if (rs.TryGetProperty("resource", out var res) && res.TryGetProperty("attributes", out var ra)) JsonAttributes(ra, resource);
            foreach (var ss in rs.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var s in ss.GetProperty("spans").EnumerateArray())
                {
                    var attributes = new Dictionary<string, object>();
                    if (s.TryGetProperty("attributes", out var a)) JsonAttributes(a, attributes);
                    int status = s.TryGetProperty("status", out var st) && st.TryGetProperty("code", out var code) ? code.GetInt32() : 0;
                    spans.Add(new WireSpan(Text(s, "traceId"), Text(s, "spanId"), Text(s, "parentSpanId"), Text(s, "name"), status, attributes, resource));
                }
            }
        }
        return spans;
    }

    private static string Text(System.Text.Json.JsonElement o, string key) => o.TryGetProperty(key, out var v) ? v.GetString() ?? "" : "";

    private static void JsonAttributes(System.Text.Json.JsonElement list, Dictionary<string, object> into)
    {
        foreach (var kv in list.EnumerateArray()) into[kv.GetProperty("key").GetString()!] = JsonAnyValue(kv.GetProperty("value"));
    }

    private static object JsonAnyValue(System.Text.Json.JsonElement v)
    {
        var p = v.EnumerateObject().First();
        return p.Name switch
        {
            "stringValue" => p.Value.GetString()!,
            "boolValue" => p.Value.GetBoolean(),
            "intValue" => long.Parse(p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), System.Globalization.CultureInfo.InvariantCulture),
            "doubleValue" => p.Value.GetDouble(),
            "arrayValue" => p.Value.TryGetProperty("values", out var vs) ? vs.EnumerateArray().Select(x => JsonAnyValue(x)?.ToString() ?? "").ToArray() : Array.Empty<string>(),
            _ => "(unsupported)",
        };
    }

    private static WireSpan DecodeSpan(byte[] span, Dictionary<string, object> resource)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        int status = 0;
        var attributes = new Dictionary<string, object>();
        var input = new CodedInputStream(span);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 5: name = input.ReadString(); break;
                case 9: KeyValue(input.ReadBytes().ToByteArray(), attributes); break;
                case 15:
                    foreach (var (field, value) in Scalars(input.ReadBytes().ToByteArray())) if (field == 3) status = (int)value;
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new WireSpan(traceId, spanId, parent, name, status, attributes, resource);
    }

    private static void Attributes(byte[] message, int field, Dictionary<string, object> into)
    {
        foreach (byte[] kv in Fields(message, field)) KeyValue(kv, into);
    }

    private static void KeyValue(byte[] kv, Dictionary<string, object> into)
    {
        var input = new CodedInputStream(kv);
        string key = "";
        object value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = AnyValue(input.ReadBytes().ToByteArray()); break;
                default: input.SkipLastField(); break;
            }
        }
        into[key] = value;
    }

    private static object AnyValue(byte[] any)
    {
        var input = new CodedInputStream(any);
        uint tag = input.ReadTag();
        return WireFormat.GetTagFieldNumber(tag) switch
        {
            1 => input.ReadString(),
            2 => input.ReadBool(),
            3 => input.ReadInt64(),
            4 => input.ReadDouble(),
            5 => Fields(input.ReadBytes().ToByteArray(), 1).Select(v => AnyValue(v)?.ToString() ?? "").ToArray(),
            _ => "(unsupported)",
        };
    }

    private static List<byte[]> Fields(byte[] message, int field)
    {
        var list = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) list.Add(input.ReadBytes().ToByteArray());
            else input.SkipLastField();
        }
        return list;
    }

    private static IEnumerable<(int Field, ulong Value)> Scalars(byte[] message)
    {
        var list = new List<(int, ulong)>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint) list.Add((WireFormat.GetTagFieldNumber(tag), input.ReadUInt64()));
            else input.SkipLastField();
        }
        return list;
    }
}
