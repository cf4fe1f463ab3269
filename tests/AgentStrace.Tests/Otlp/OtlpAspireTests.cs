using System.Text.Json;
using AgentStrace.Otlp.Json;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Otlp;

/// <summary>End to end: our encoders and transport into the real Aspire dashboard receiver, checked through its API.</summary>
public sealed class OtlpAspireTests
{
    [ClassDataSource<AspireReceiver>(Shared = SharedType.PerTestSession)]
    public required AspireReceiver Receiver { get; init; }

    [Test]
    [Arguments("http/protobuf", false)]
    [Arguments("http/json", false)]
    [Arguments("grpc", false)]
    [Arguments("grpc", true)]
    public async Task Send_SpansArriveWithStructure(string protocol, bool gzip)
    {
        string service = $"aspire-{protocol.Replace('/', '-')}{(gzip ? "-gzip" : "")}";
        ResourceSpans batch = SampleSpans.Batch(service, "aspire-session-" + service);
        var flags = new OtlpFlags
        {
            Endpoint = protocol == "grpc" ? Receiver.OtlpGrpcUrl : Receiver.OtlpHttpUrl,
            Protocol = OtlpNames.Protocols.Parse(protocol),
            Compression = gzip ? OtlpCompression.Gzip : OtlpCompression.None,
            ServiceName = service,
        };
        OtlpSettings settings = OtlpSettingsResolver.Resolve(flags, OtlpSignal.Traces, _ => null);
        byte[] body = settings.Protocol == OtlpProtocol.HttpJson ? TraceEncodingTests.Json(batch) : Encode(batch);

        using var transport = new OtlpTransport(settings);
        OtlpSendResult result = await transport.SendAsync(body, batch.Spans.Count, CancellationToken.None);
        await Assert.That(result.Success).IsTrue().Because(result.Message);

        using JsonDocument resources = await Receiver.GetResourcesAsync();
        await Assert.That(resources.RootElement.EnumerateArray().Any(r => r.GetProperty("name").GetString() == service)).IsTrue();

        List<JsonElement> spans = await Receiver.WaitForSpansAsync(service, 3);
        await Assert.That(spans.Count).IsEqualTo(3);
        var byName = spans.ToDictionary(s => s.GetProperty("name").GetString()!);
        Span root = batch.Spans[0], tool = batch.Spans[1], error = batch.Spans[2];
        string rootId = Convert.ToHexStringLower(root.SpanId);

        JsonElement r = byName[root.Name];
        await Assert.That(r.GetProperty("traceId").GetString()).IsEqualTo(Convert.ToHexStringLower(root.TraceId));
        await Assert.That(r.GetProperty("spanId").GetString()).IsEqualTo(rootId);
        await Assert.That(r.TryGetProperty("parentSpanId", out _)).IsFalse();
        await Assert.That(r.GetProperty("kind").GetInt32()).IsEqualTo(1);
        await Assert.That(r.GetProperty("status").GetProperty("code").GetInt32()).IsEqualTo(2);
        await Assert.That(r.GetProperty("startTimeUnixNano").GetString()).IsEqualTo((root.StartTimeUnixNano / 100 * 100).ToString());
        await Assert.That(Attribute(r, "agent.tool_calls")).IsEqualTo("2");
        await Assert.That(Attribute(r, "agent.cost_usd")).IsEqualTo("0.125");
        await Assert.That(Attribute(r, "gen_ai.response.finish_reasons")).Contains("end_turn");
        JsonElement prompt = r.GetProperty("events")[0];
        await Assert.That(prompt.GetProperty("name").GetString()).IsEqualTo("gen_ai.user.message");
        await Assert.That(Attribute(prompt, "gen_ai.prompt")).StartsWith("Fix the failing test in ünïcödé 🚀");

        JsonElement t = byName[tool.Name];
        await Assert.That(t.GetProperty("parentSpanId").GetString()).IsEqualTo(rootId);
        await Assert.That(t.GetProperty("kind").GetInt32()).IsEqualTo(3);
        await Assert.That(t.GetProperty("status").GetProperty("code").GetInt32()).IsEqualTo(1);
        await Assert.That(Attribute(t, "tool.input.command")).IsEqualTo("dotnet test");

        JsonElement e = byName[error.Name];
        await Assert.That(e.GetProperty("parentSpanId").GetString()).IsEqualTo(rootId);
        await Assert.That(e.GetProperty("status").GetProperty("message").GetString()).IsEqualTo("file not found: src/app.py");
        JsonElement exception = e.GetProperty("events")[0];
        await Assert.That(exception.GetProperty("name").GetString()).IsEqualTo("exception");
        await Assert.That(Attribute(exception, "exception.type")).IsEqualTo("ToolError");

        using JsonDocument trace = await Receiver.GetTraceAsync(Convert.ToHexStringLower(root.TraceId));
        JsonElement resource = trace.RootElement.GetProperty("data").GetProperty("resourceSpans")[0].GetProperty("resource");
        await Assert.That(Attribute(resource, "service.name")).IsEqualTo(service);
        await Assert.That(AspireReceiver.FlattenSpans(trace.RootElement).Count).IsEqualTo(3);
    }

    private static byte[] Encode(ResourceSpans batch)
    {
        using var writer = new ProtoWriter(16);
        TraceRequestWriter.Write(writer, [batch]);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The dashboard returns every attribute value as a stringValue.</summary>
    private static string? Attribute(JsonElement owner, string key)
    {
        foreach (JsonElement a in owner.GetProperty("attributes").EnumerateArray())
        {
            if (a.GetProperty("key").GetString() == key) return a.GetProperty("value").GetProperty("stringValue").GetString();
        }
        return null;
    }
}
