using System.Text.Json;
using AgentStrace.Export;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Otlp;

/// <summary><c>export --metrics</c> end to end: decoded on a loopback collector, and accepted by the Aspire dashboard.</summary>
public sealed class MetricsExportTests
{
    [ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
    public required FakeCollector Collector { get; init; }

    [ClassDataSource<AspireReceiver>(Shared = SharedType.PerTestSession)]
    public required AspireReceiver Aspire { get; init; }

    private static Func<string, string?> Env(Dictionary<string, string> vars) => name => vars.TryGetValue(name, out string? v) ? v : null;

    [Test]
    public async Task Protobuf_GaugesAndHistograms_DecodeWithNamesValuesAttributes()
    {
        using TempDir store = Repo.CopySampleStore();
        FakeScope scope = Collector.NewScope();
        var request = new ExportRequest { All = true, Metrics = true, Scores = true, Headers = [scope.HeaderArgument] };
        // The signal-specific variable is used as is (no /v1/metrics appended).
        var env = Env(new() { ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = Collector.HttpUrl + "/custom/metrics" });
        int rc = await OtlpMetricsExport.RunAsync(new TraceStore(store.Path), request, env, CancellationToken.None);

        await Assert.That(rc).IsEqualTo(0);
        RecordedRequest sent = scope.Requests.Single();
        await Assert.That(sent.Path).IsEqualTo("/custom/metrics");
        await Assert.That(sent.Header("content-type")).IsEqualTo("application/x-protobuf");

        WireMessage rm = WireMessage.Parse(sent.Body).Message(1);
        await Assert.That(rm.Message(1).Attributes(1)["service.name"]).IsEqualTo("agent-trace");
        WireMessage sm = rm.Message(2);
        await Assert.That(sm.Message(1).String(1)).IsEqualTo("agent-strace");
        var metrics = sm.Messages(2).ToDictionary(m => m.String(1));
        await Assert.That(metrics.Keys.ToList()).IsEquivalentTo(new[]
        {
            "agent_strace.session.cost_usd", "agent_strace.session.error_rate", "agent_strace.session.retry_rate",
            "agent_strace.session.blast_radius", "agent_strace.session.duration_s", "agent_strace.session.tool_calls",
            "agent_strace.eval.score", "gen_ai.client.token.usage", "gen_ai.client.operation.duration",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        // Gauge points: one per session, attributes agent/model/session.
        var errorRate = metrics["agent_strace.session.error_rate"].Message(5).Messages(1)
            .ToDictionary(p => p.Attributes(7)["session"], p => (Value: p.Double(4), Attrs: p.Attributes(7)));
        await Assert.That(errorRate["9f1c2b7e-5a4d-4c"].Value).IsEqualTo(0.2);
        await Assert.That(errorRate["b41d7e09c2a84f65"].Value).IsEqualTo(0.3333333333333333);
        await Assert.That(errorRate["c7a05e3f91d24b68"].Value).IsEqualTo(0.5);
        await Assert.That(errorRate["c7a05e3f91d24b68"].Attrs["agent"]).IsEqualTo("support-bot");
        await Assert.That(errorRate["c7a05e3f91d24b68"].Attrs["model"]).IsEqualTo("claude-sonnet-4-6");
        await Assert.That(errorRate["b41d7e09c2a84f65"].Attrs["model"]).IsEqualTo("unknown");
        var duration = metrics["agent_strace.session.duration_s"].Message(5).Messages(1).ToDictionary(p => p.Attributes(7)["session"], p => p.Double(4));
        await Assert.That(duration["9f1c2b7e-5a4d-4c"]).IsEqualTo(75.20445489883423);
        var cost = metrics["agent_strace.session.cost_usd"].Message(5).Messages(1).ToDictionary(p => p.Attributes(7)["session"], p => p.Double(4));
        await Assert.That(Math.Round(cost["c7a05e3f91d24b68"], 9)).IsEqualTo(Math.Round((4150 * 3.0 + 308 * 15.0) / 1e6, 9));
        await Assert.That(metrics["agent_strace.session.cost_usd"].String(3)).IsEqualTo("USD");

        // Eval scores from c7a05's eval.json, one per judge.
        var scores = metrics["agent_strace.eval.score"].Message(5).Messages(1).ToDictionary(p => p.Attributes(7)["judge"], p => p.Double(4));
        await Assert.That(scores["no_errors"]).IsEqualTo(0.0);
        await Assert.That(scores["cost_under"]).IsEqualTo(1.0);

        // Token histogram: c7a05's two calls, input 1840 + 2310, output 212 + 96; v1.41 buckets; cumulative by default.
        WireMessage tokens = metrics["gen_ai.client.token.usage"];
        await Assert.That(tokens.String(3)).IsEqualTo("{token}");
        WireMessage histogram = tokens.Message(9);
        await Assert.That(histogram.UInt64(2)).IsEqualTo(2UL);
        var byType = histogram.Messages(1).ToDictionary(p => p.Attributes(9)["gen_ai.token.type"]);
        WireMessage input = byType["input"];
        await Assert.That(input.UInt64(4)).IsEqualTo(2UL);
        await Assert.That(input.Double(5)).IsEqualTo(4150.0);
        await Assert.That(input.PackedFixed64(6).Length).IsEqualTo(15);
        await Assert.That(input.PackedFixed64(6)[6]).IsEqualTo(2UL); // both in (1024, 4096]
        await Assert.That(input.Attributes(9)["gen_ai.provider.name"]).IsEqualTo("anthropic");
        await Assert.That(input.Attributes(9)["gen_ai.operation.name"]).IsEqualTo("chat");
        await Assert.That(input.Attributes(9)["gen_ai.request.model"]).IsEqualTo("claude-sonnet-4-6");
        await Assert.That(byType["output"].Double(5)).IsEqualTo(308.0);
        WireMessage durations = metrics["gen_ai.client.operation.duration"];
        await Assert.That(durations.String(3)).IsEqualTo("s");
        await Assert.That(durations.Message(9).Messages(1).Single().UInt64(4)).IsEqualTo(2UL);
    }

    [Test]
    public async Task Json_DeltaTemporality_FromEnvironment()
    {
        using TempDir store = Repo.CopySampleStore();
        FakeScope scope = Collector.NewScope();
        var request = new ExportRequest { SessionId = "c7a05e3f91d24b68", Metrics = true, Protocol = AgentStrace.Otlp.Transport.OtlpProtocol.HttpJson, Headers = [scope.HeaderArgument] };
        var env = Env(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.HttpUrl, ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = "delta" });
        await Assert.That(await OtlpMetricsExport.RunAsync(new TraceStore(store.Path), request, env, CancellationToken.None)).IsEqualTo(0);

        RecordedRequest sent = scope.Requests.Single();
        await Assert.That(sent.Path).IsEqualTo("/v1/metrics");
        using JsonDocument doc = JsonDocument.Parse(sent.Body);
        JsonElement metrics = doc.RootElement.GetProperty("resourceMetrics")[0].GetProperty("scopeMetrics")[0].GetProperty("metrics");
        JsonElement tokens = metrics.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "gen_ai.client.token.usage");
        await Assert.That(tokens.GetProperty("histogram").GetProperty("aggregationTemporality").GetInt32()).IsEqualTo(1);
        await Assert.That(tokens.GetProperty("histogram").GetProperty("dataPoints")[0].GetProperty("count").GetString()).IsEqualTo("2");
        JsonElement gauge = metrics.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "agent_strace.session.tool_calls");
        await Assert.That(gauge.GetProperty("gauge").GetProperty("dataPoints")[0].GetProperty("asDouble").GetDouble()).IsEqualTo(2.0);
    }

    [Test]
    public async Task ServerError_IsDeliveryFailure()
    {
        using TempDir store = Repo.CopySampleStore();
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.WithStatus(400));
        var request = new ExportRequest { All = true, Metrics = true, Endpoint = Collector.HttpUrl, Headers = [scope.HeaderArgument] };
        var ex = await Assert.That(() => OtlpMetricsExport.RunAsync(new TraceStore(store.Path), request, Env([]), CancellationToken.None))
            .Throws<AgentStrace.Errors.ExportException>();
        await Assert.That(ex!.ExitCode).IsEqualTo(3);
        await Assert.That(scope.Requests.Count).IsEqualTo(1); // 400 is never retried
    }

    [Test]
    public async Task AspireDashboard_AcceptsMetrics()
    {
        using TempDir store = Repo.CopySampleStore();
        string service = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var request = new ExportRequest { All = true, Metrics = true, Endpoint = Aspire.OtlpHttpUrl, ServiceName = service };
        await Assert.That(await OtlpMetricsExport.RunAsync(new TraceStore(store.Path), request, Env([]), CancellationToken.None)).IsEqualTo(0);

        bool hasMetrics = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!hasMetrics && DateTime.UtcNow < deadline)
        {
            using JsonDocument resources = await Aspire.GetResourcesAsync();
            hasMetrics = resources.RootElement.EnumerateArray().Any(r =>
                r.GetProperty("name").GetString()!.StartsWith(service, StringComparison.Ordinal) && r.GetProperty("hasMetrics").GetBoolean());
            if (!hasMetrics) await Task.Delay(100);
        }
        await Assert.That(hasMetrics).IsTrue();
    }
}
