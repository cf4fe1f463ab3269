using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary><c>cost</c>, <c>baseline</c> and <c>export --metrics</c> through the AOT binary.</summary>
public sealed class MetricsCliTests
{
    [ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
    public required FakeCollector Collector { get; init; }

    [Test]
    public async Task Cost_Json_RecordedUsageAndHeuristicFallback()
    {
        using var dir = TempDir.WithSampleStore();
        var r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "cost", "--all", "--format", "json"]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        using JsonDocument doc = JsonDocument.Parse(r.Stdout);
        var sessions = doc.RootElement.GetProperty("sessions").EnumerateArray().ToDictionary(s => s.GetProperty("session_id").GetString()!);
        JsonElement c = sessions["c7a05e3f91d24b68"];
        await Assert.That(c.GetProperty("method").GetString()).IsEqualTo("usage");
        await Assert.That(c.GetProperty("estimated").GetBoolean()).IsFalse();
        await Assert.That(c.GetProperty("cost_usd").GetDouble()).IsEqualTo(0.01707); // 4150 × $3/M + 308 × $15/M
        JsonElement hook = sessions["9f1c2b7e-5a4d-4c"];
        await Assert.That(hook.GetProperty("method").GetString()).IsEqualTo("heuristic");
        await Assert.That(hook.GetProperty("estimated").GetBoolean()).IsTrue();
        await Assert.That(hook.GetProperty("cost_usd").GetDouble()).IsEqualTo(0.004617); // EXPECTED.md: 304 in, 247 out at sonnet
    }

    [Test]
    public async Task Cost_Heuristic_PrintsUpstreamFigure_AndBadPricesAreUsageErrors()
    {
        using var dir = TempDir.WithSampleStore();
        var r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "cost", "c7a05", "--heuristic", "--model", "sonnet"]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).Contains("Estimated cost: $0.0026");
        var bad = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "cost", "--input-price", "3"]);
        await Assert.That(bad.ExitCode).IsEqualTo(2);
        await Assert.That(bad.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(bad.Stderr).Contains("--input-price and --output-price must be provided together");
    }

    [Test]
    public async Task Baseline_CiGate_ExitCodes()
    {
        using var dir = new TempDir();
        string store = dir.Store;
        SyntheticStore.AddHistory(store, 20, 1_778_000_000);
        string[] trace = ["--trace-dir", store];

        var early = await AgentStraceCli.RunAsync([.. trace, "baseline", "check", "hist-00"]);
        await Assert.That(early.ExitCode).IsEqualTo(2);
        await Assert.That(early.Stderr).Contains("No baseline found");

        var update = await AgentStraceCli.RunAsync([.. trace, "baseline", "update", "--sessions", "50"]);
        await Assert.That(update.ExitCode).IsEqualTo(0);
        await Assert.That(update.Stdout).Contains("Baseline updated: 20 sessions");

        SyntheticStore.AddSession(store, "normal", 1_778_100_000, inputTokens: 10_100, outputTokens: 1_010);
        SyntheticStore.AddSession(store, "costly", 1_778_100_001, inputTokens: 100_000, outputTokens: 10_000);
        var ok = await AgentStraceCli.RunAsync([.. trace, "baseline", "check", "normal"]);
        await Assert.That(ok.ExitCode).IsEqualTo(0);
        await Assert.That(ok.Stdout).Contains("[OK]");

        var anomalous = await AgentStraceCli.RunAsync([.. trace, "baseline", "check", "costly", "--sigma", "2.5", "--format", "json"]);
        await Assert.That(anomalous.ExitCode).IsEqualTo(1);
        using JsonDocument doc = JsonDocument.Parse(anomalous.Stdout);
        await Assert.That(doc.RootElement.GetProperty("anomalous").GetBoolean()).IsTrue();
        await Assert.That(doc.RootElement.GetProperty("threshold").GetDouble()).IsEqualTo(2.5);
        JsonElement cost = doc.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "cost_usd");
        await Assert.That(cost.GetProperty("anomalous").GetBoolean()).IsTrue();
        await Assert.That(cost.GetProperty("value").GetDouble()).IsGreaterThan(cost.GetProperty("high").GetDouble());

        var text = await AgentStraceCli.RunAsync([.. trace, "baseline", "check", "costly"]);
        await Assert.That(text.ExitCode).IsEqualTo(1);
        await Assert.That(text.Stdout).Contains("cost_usd = $0.4500 is outside the expected band");

        var show = await AgentStraceCli.RunAsync([.. trace, "baseline", "show", "--format", "json"]);
        await Assert.That(show.ExitCode).IsEqualTo(0);
        using JsonDocument shown = JsonDocument.Parse(show.Stdout);
        JsonElement stats = shown.RootElement.GetProperty("global").GetProperty("metrics").GetProperty("cost_usd");
        await Assert.That(stats.TryGetProperty("mean", out _) && stats.TryGetProperty("stddev", out _) && stats.TryGetProperty("median", out _)).IsTrue();
    }

    [Test]
    public async Task ExportMetrics_DeliveredToCollector_WithUpstreamFlags()
    {
        using var dir = TempDir.WithSampleStore();
        FakeScope scope = Collector.NewScope();
        var r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "export", "--metrics", "--backend", "otlp", "--all",
            "--otlp-endpoint", Collector.HttpUrl, "--otlp-headers", $"{FakeCollector.ScopeHeader}={scope.Id}"]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stderr).Contains("OTLP metrics: exported");
        RecordedRequest sent = scope.Requests.Single();
        await Assert.That(sent.Path).IsEqualTo("/v1/metrics");
        var names = WireMessage.Parse(sent.Body).Message(1).Message(2).Messages(2).Select(m => m.String(1)).ToList();
        await Assert.That(names).Contains("agent_strace.session.retry_rate");
        await Assert.That(names).Contains("gen_ai.client.token.usage");
    }

    [Test]
    public async Task ExportMetrics_NoEndpoint_WritesOtlpJsonToStdout()
    {
        using var dir = TempDir.WithSampleStore();
        var r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "export", "--metrics", "c7a05e3f91d24b68"]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        using JsonDocument doc = JsonDocument.Parse(r.Stdout);
        JsonElement metrics = doc.RootElement.GetProperty("resourceMetrics")[0].GetProperty("scopeMetrics")[0].GetProperty("metrics");
        JsonElement blast = metrics.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "agent_strace.session.blast_radius");
        await Assert.That(blast.GetProperty("gauge").GetProperty("dataPoints")[0].GetProperty("asDouble").GetDouble()).IsEqualTo(1.0);
    }
}
