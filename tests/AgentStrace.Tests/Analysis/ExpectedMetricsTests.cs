using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Analysis;

/// <summary>The sample store's EXPECTED.md figures: heuristic tokens/cost and upstream's six metric values.</summary>
public sealed class ExpectedMetricsTests
{
    private static SessionInfo Session(string id) => new TraceStore(Repo.SampleStore).Find(id);

    [Test]
    [Arguments("9f1c2b7e-5a4d-4c", 304L, 247L, 0.004617)]
    [Arguments("b41d7e09c2a84f65", 98L, 95L, 0.001719)]
    [Arguments("c7a05e3f91d24b68", 133L, 146L, 0.002589)]
    public async Task Heuristic_SampleSessions_MatchExpectedTokensAndSonnetCost(string id, long input, long output, double usd)
    {
        var options = new CostOptions { Table = PricingTable.BuiltIn(), Model = "sonnet", ForceHeuristic = true };
        SessionCost cost = new SessionAnalyzer(options).Analyze(Session(id)).Cost;
        await Assert.That(cost.Method).IsEqualTo("heuristic");
        await Assert.That(cost.InputTokens).IsEqualTo(input);
        await Assert.That(cost.OutputTokens).IsEqualTo(output);
        await Assert.That(Math.Round(cost.TotalUsd, 6)).IsEqualTo(usd);
    }

    [Test]
    [Arguments("9f1c2b7e-5a4d-4c", 0.0, 0.2, 0.0, 0.0, 75.20445489883423, 5.0)]
    [Arguments("b41d7e09c2a84f65", 0.0, 0.3333333333333333, 0.0, 0.0, 35.98610210418701, 3.0)]
    [Arguments("c7a05e3f91d24b68", 0.013374, 0.5, 0.0, 1.0, 15.011902093887329, 2.0)]
    public async Task UpstreamMode_SampleSessions_MatchExpectedGaugeValues(string id, double cost, double errorRate, double retryRate, double blast, double duration, double toolCalls)
    {
        var analyzer = new SessionAnalyzer(CostOptions.Default(PricingTable.BuiltIn()), SessionMetricsMode.Upstream);
        SessionMetrics m = analyzer.Analyze(Session(id)).Metrics;
        await Assert.That(m.Get(SessionMetrics.CostUsd)).IsEqualTo(cost);
        await Assert.That(m.Get(SessionMetrics.ErrorRate)).IsEqualTo(errorRate);
        await Assert.That(m.Get(SessionMetrics.RetryRate)).IsEqualTo(retryRate);
        await Assert.That(m.Get(SessionMetrics.BlastRadius)).IsEqualTo(blast);
        await Assert.That(m.Get(SessionMetrics.DurationS)).IsEqualTo(duration);
        await Assert.That(m.Get(SessionMetrics.ToolCalls)).IsEqualTo(toolCalls);
    }

    [Test]
    public async Task DefaultMode_CountsFileWritingToolCalls_AndUsesRecordedUsage()
    {
        var analyzer = new SessionAnalyzer(CostOptions.Default(PricingTable.BuiltIn()));
        // 9f1c: one Edit of src/checkout.py; b41d: one MCP write_file; c7a0: one file_write event.
        await Assert.That(analyzer.Analyze(Session("9f1c2b7e-5a4d-4c")).Metrics.FilesWritten).IsEqualTo(1.0);
        await Assert.That(analyzer.Analyze(Session("b41d7e09c2a84f65")).Metrics.FilesWritten).IsEqualTo(1.0);
        var (metrics, cost) = analyzer.Analyze(Session("c7a05e3f91d24b68"));
        await Assert.That(metrics.FilesWritten).IsEqualTo(1.0);
        // Recorded usage, claude-sonnet-4-6 at $3/$15: (1840 + 2310) input, (212 + 96) output.
        await Assert.That(cost.Method).IsEqualTo("usage");
        await Assert.That(cost.InputTokens).IsEqualTo(4150L);
        await Assert.That(cost.OutputTokens).IsEqualTo(308L);
        await Assert.That(Math.Round(cost.TotalUsd, 9)).IsEqualTo(Math.Round((4150 * 3.0 + 308 * 15.0) / 1e6, 9));
        await Assert.That(metrics.Model).IsEqualTo("claude-sonnet-4-6");
        await Assert.That(metrics.CostEstimated).IsFalse();
    }
}
