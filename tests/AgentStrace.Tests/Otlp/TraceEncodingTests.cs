using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Otlp.Json;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Spans;
using Google.Protobuf;

namespace AgentStrace.Tests.Otlp;

public sealed class TraceEncodingTests
{
    public static byte[] Protobuf(params ResourceSpans[] batch)
    {
        using var writer = new ProtoWriter(256);
        TraceRequestWriter.Write(writer, batch);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Json(params ResourceSpans[] batch)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) OtlpJsonTraceWriter.Write(writer, batch);
        return buffer.WrittenSpan.ToArray();
    }

    [Test]
    public async Task Protobuf_DecodedWithGoogleProtobuf_EqualsOurOtlpJson()
    {
        ResourceSpans[] batch = [SampleSpans.Batch(), SampleSpans.Batch("second-service", "session-2")];
        JsonObject fromProtobuf = OtlpWireDecoder.DecodeRequest(Protobuf(batch));
        JsonNode fromJson = JsonNode.Parse(Json(batch))!;
        await Assert.That(JsonNode.DeepEquals(fromProtobuf, fromJson)).IsTrue()
            .Because($"protobuf: {fromProtobuf.ToJsonString()}\njson: {fromJson.ToJsonString()}");
    }

    [Test]
    public async Task Protobuf_SpanFields_UseOtlpFieldNumbersAndWireTypes()
    {
        ResourceSpans rs = SampleSpans.Batch();
        Span tool = rs.Spans[1];
        using var writer = new ProtoWriter(64);
        TraceRequestWriter.WriteSpan(writer, tool);
        var input = new CodedInputStream(writer.WrittenSpan.ToArray());
        var seen = new List<(int Field, WireFormat.WireType Wire)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            seen.Add((WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag)));
            input.SkipLastField();
        }
        (int, WireFormat.WireType)[] expected =
        [
            (1, WireFormat.WireType.LengthDelimited), (2, WireFormat.WireType.LengthDelimited), (4, WireFormat.WireType.LengthDelimited),
            (5, WireFormat.WireType.LengthDelimited), (6, WireFormat.WireType.Varint), (7, WireFormat.WireType.Fixed64),
            (8, WireFormat.WireType.Fixed64), (9, WireFormat.WireType.LengthDelimited), (9, WireFormat.WireType.LengthDelimited),
            (15, WireFormat.WireType.LengthDelimited),
        ];
        await Assert.That(seen).IsEquivalentTo(expected, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        JsonObject span = OtlpWireDecoder.Span(ByteString.CopyFrom(writer.WrittenSpan));
        await Assert.That(span["traceId"]!.GetValue<string>()).IsEqualTo(Convert.ToHexStringLower(tool.TraceId));
        await Assert.That(span["parentSpanId"]!.GetValue<string>()).IsEqualTo(Convert.ToHexStringLower(tool.ParentSpanId));
        await Assert.That(span["kind"]!.GetValue<int>()).IsEqualTo(3);
        await Assert.That(span["startTimeUnixNano"]!.GetValue<string>()).IsEqualTo((SampleSpans.Start + 10_000_000).ToString());
        await Assert.That(span["status"]!["code"]!.GetValue<int>()).IsEqualTo(1);
    }

    [Test]
    public async Task Json_FollowsOtlpJsonRules()
    {
        using JsonDocument doc = JsonDocument.Parse(Json(SampleSpans.Batch()));
        JsonElement spans = doc.RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans");
        JsonElement root = spans[0];
        await Assert.That(root.GetProperty("traceId").GetString()).IsEqualTo(Convert.ToHexStringLower(SampleSpans.Id("session-1", 16)));
        await Assert.That(root.TryGetProperty("parentSpanId", out _)).IsFalse();
        await Assert.That(root.GetProperty("kind").ValueKind).IsEqualTo(JsonValueKind.Number);
        await Assert.That(root.GetProperty("startTimeUnixNano").GetString()).IsEqualTo(SampleSpans.Start.ToString());
        await Assert.That(root.GetProperty("status").TryGetProperty("message", out _)).IsFalse();
        JsonElement attrs = root.GetProperty("attributes");
        await Assert.That(attrs[0].GetProperty("value").GetProperty("intValue").GetString()).IsEqualTo("2");
        await Assert.That(attrs[1].GetProperty("value").GetProperty("doubleValue").GetDouble()).IsEqualTo(0.125);
        await Assert.That(attrs[2].GetProperty("value").GetProperty("boolValue").GetBoolean()).IsTrue();
        JsonElement array = attrs[3].GetProperty("value").GetProperty("arrayValue").GetProperty("values");
        await Assert.That(array[1].GetProperty("stringValue").GetString()).IsEqualTo("end_turn");
        await Assert.That(spans[2].GetProperty("status").GetProperty("message").GetString()).IsEqualTo("file not found: src/app.py");
        await Assert.That(spans[1].TryGetProperty("events", out _)).IsFalse();
    }

    [Test]
    public async Task Json_NonFiniteDouble_IsProto3String()
    {
        var rs = new ResourceSpans();
        var span = new Span { TraceId = new byte[16], SpanId = new byte[8], Name = "x" };
        span.Attributes.Add(SpanAttribute.Of("nan", double.NaN));
        span.Attributes.Add(SpanAttribute.Of("inf", double.NegativeInfinity));
        rs.Spans.Add(span);
        using JsonDocument doc = JsonDocument.Parse(Json(rs));
        JsonElement attrs = doc.RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans")[0].GetProperty("attributes");
        await Assert.That(attrs[0].GetProperty("value").GetProperty("doubleValue").GetString()).IsEqualTo("NaN");
        await Assert.That(attrs[1].GetProperty("value").GetProperty("doubleValue").GetString()).IsEqualTo("-Infinity");
    }

    [Test]
    public async Task Protobuf_HugeAttribute_EncodesWithoutCorruption()
    {
        var rs = SampleSpans.Batch();
        rs.Spans[1].Attributes.Add(SpanAttribute.Of("tool.output", new string('o', 3_000_000)));
        JsonObject decoded = OtlpWireDecoder.DecodeRequest(Protobuf(rs));
        JsonNode json = JsonNode.Parse(Json(rs))!;
        await Assert.That(JsonNode.DeepEquals(decoded, json)).IsTrue();
    }
}
