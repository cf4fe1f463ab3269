using AgentStrace.Analysis;
using AgentStrace.Analysis.Baseline;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Analysis;

public sealed class BaselineTests
{
    private const double Start = 1_778_000_000;

    private static (SessionBaseline Baseline, TraceStore Store, SessionAnalyzer Analyzer) Build(string root)
    {
        var store = new TraceStore(root);
        var analyzer = new SessionAnalyzer(CostOptions.Default(PricingTable.BuiltIn()));
        SessionBaseline baseline = BaselineStore.Update(store, analyzer, 50, null, Path.Combine(root, "baseline.json"), Start + 1e6, null);
        return (BaselineJson.Load(Path.Combine(root, "baseline.json")), store, analyzer);
    }

    private static BaselineCheck Check(SessionBaseline b, TraceStore store, SessionAnalyzer a, string id, BaselineMethod method) =>
        BaselineCheck.Run(b, a.Analyze(store.Find(id)).Metrics, 2.0, method);

    [Test]
    [Arguments(BaselineMethod.Robust)]
    [Arguments(BaselineMethod.StdDev)]
    public async Task TenTimesCost_IsFlagged_NormalSessionIsNot(BaselineMethod method)
    {
        using var dir = new TempDir();
        SyntheticStore.AddHistory(dir.Path, 20, Start);
        var (baseline, store, analyzer) = Build(dir.Path);
        SyntheticStore.AddSession(dir.Path, "normal", Start + 1e5, toolCalls: 10, inputTokens: 10_200, outputTokens: 1_020, durationS: 61);
        SyntheticStore.AddSession(dir.Path, "costly", Start + 1e5, toolCalls: 10, inputTokens: 100_000, outputTokens: 10_000, durationS: 61);

        BaselineCheck normal = Check(baseline, store, analyzer, "normal", method);
        BaselineCheck costly = Check(baseline, store, analyzer, "costly", method);
        await Assert.That(normal.Anomalous).IsFalse();
        await Assert.That(costly.Anomalous).IsTrue();
        await Assert.That(costly.Metrics.Where(m => m.Anomalous).Select(m => m.Name).ToList()).IsEquivalentTo([SessionMetrics.CostUsd], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task EarlierExtremeOutlier_BreaksMeanStddev_ButNotMedianMad()
    {
        using var dir = new TempDir();
        SyntheticStore.AddHistory(dir.Path, 20, Start);
        // One runaway session in the history: 1000× the usual tokens.
        SyntheticStore.AddSession(dir.Path, "runaway", Start + 5e4, inputTokens: 10_000_000, outputTokens: 1_000_000);
        var (baseline, store, analyzer) = Build(dir.Path);
        SyntheticStore.AddSession(dir.Path, "normal", Start + 1e5, inputTokens: 10_200, outputTokens: 1_020, durationS: 61);
        SyntheticStore.AddSession(dir.Path, "costly", Start + 1e5, inputTokens: 100_000, outputTokens: 10_000, durationS: 61);

        await Assert.That(Check(baseline, store, analyzer, "costly", BaselineMethod.StdDev).Anomalous).IsFalse();
        await Assert.That(Check(baseline, store, analyzer, "costly", BaselineMethod.Robust).Anomalous).IsTrue();
        await Assert.That(Check(baseline, store, analyzer, "normal", BaselineMethod.Robust).Anomalous).IsFalse();
        await Assert.That(Check(baseline, store, analyzer, "normal", BaselineMethod.StdDev).Anomalous).IsFalse();
    }

    [Test]
    public async Task AgentModelGroup_UsedWhenLargeEnough_ElseGlobal()
    {
        using var dir = new TempDir();
        SyntheticStore.AddHistory(dir.Path, 12, Start);
        for (int i = 0; i < 3; i++) SyntheticStore.AddSession(dir.Path, $"codex-{i}", Start + 9e4 + i, agent: "codex", model: "gpt-5");
        var (baseline, _, _) = Build(dir.Path);
        await Assert.That(baseline.Groups.Count).IsEqualTo(1);
        await Assert.That(baseline.GroupFor("claude-code", "claude-sonnet-4-6").Agent).IsEqualTo("claude-code");
        await Assert.That(baseline.GroupFor("codex", "gpt-5").IsGlobal).IsTrue();
    }

    [Test]
    public async Task TooFewSessions_IsAClearError()
    {
        using var dir = new TempDir();
        SyntheticStore.AddHistory(dir.Path, 3, Start);
        var (baseline, store, analyzer) = Build(dir.Path);
        var ex = await Assert.That(() => Check(baseline, store, analyzer, "hist-00", BaselineMethod.Robust)).Throws<AgentStrace.Errors.AgentStraceException>();
        await Assert.That(ex!.Message).Contains("at least 5");
    }

    [Test]
    public async Task MetricStats_MadScaledToSigma()
    {
        MetricStats s = MetricStats.Compute([1, 2, 3, 4, 100]);
        await Assert.That(s.Median).IsEqualTo(3.0);
        await Assert.That(s.Mad).IsEqualTo(1.0);
        await Assert.That(s.RobustSpread).IsEqualTo(1.4826);
        await Assert.That(s.Mean).IsEqualTo(22.0);
    }
}
