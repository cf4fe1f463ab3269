using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Analysis;

public sealed class CostTests
{
    private static SessionCost Cost(string root, string id, CostOptions? options = null) =>
        new SessionAnalyzer(options ?? CostOptions.Default(PricingTable.BuiltIn())).Analyze(new TraceStore(root).Find(id)).Cost;

    [Test]
    public async Task AnthropicUsageWithCache_PricedPerTokenKind()
    {
        using var dir = new TempDir();
        SyntheticStore.AddSession(dir.Path, "cache-1", 1_778_000_000, model: "claude-opus-4-6", inputTokens: 100, outputTokens: 300, cacheRead: 2000, cacheWrite: 500);
        SessionCost cost = Cost(dir.Path, "cache-1");
        // Opus 4.6: $5 in, $25 out, $6.25 cache write, $0.50 cache read per million.
        double expected = (100 * 5 + 500 * 6.25 + 2000 * 0.5 + 300 * 25) / 1e6; // 0.012125
        await Assert.That(cost.Method).IsEqualTo("usage");
        await Assert.That(cost.InputTokens).IsEqualTo(100L);
        await Assert.That(cost.CacheReadTokens).IsEqualTo(2000L);
        await Assert.That(cost.CacheWriteTokens).IsEqualTo(500L);
        await Assert.That(Math.Round(cost.TotalUsd, 9)).IsEqualTo(0.012125);
        await Assert.That(Math.Round(cost.TotalUsd, 9)).IsEqualTo(Math.Round(expected, 9));
    }

    [Test]
    public async Task PricingFile_OverridesBuiltIn_AndDatedSnapshot()
    {
        using var dir = new TempDir();
        SyntheticStore.AddSession(dir.Path, "ovr-1", 1_778_000_000, model: "claude-sonnet-4-6-20260101", inputTokens: 1_000_000, outputTokens: 100_000);
        PricingTable table = PricingTable.BuiltIn();
        table.Merge(Path.Combine(Repo.Fixtures, "pricing", "override.json"));
        SessionCost cost = Cost(dir.Path, "ovr-1", CostOptions.Default(table));
        await Assert.That(table.SnapshotDate).IsEqualTo("2026-06-01");
        await Assert.That(cost.Models[0].PriceKey).IsEqualTo("claude-sonnet-4-6");
        await Assert.That(Math.Round(cost.TotalUsd, 9)).IsEqualTo(2.0 + 1.0); // 1M × $2 + 0.1M × $10
    }

    [Test]
    public async Task UnknownModel_IsReportedUnpriced_NotGuessed()
    {
        using var dir = new TempDir();
        SyntheticStore.AddSession(dir.Path, "unk-1", 1_778_000_000, model: "acme-llm-9");
        SessionCost cost = Cost(dir.Path, "unk-1");
        await Assert.That(cost.UnpricedModels.ToList()).IsEquivalentTo(["acme-llm-9"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(cost.TotalUsd).IsEqualTo(0.0);
    }

    [Test]
    [Arguments("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [Arguments("anthropic/claude-haiku-4-5", "claude-haiku-4-5")]
    [Arguments("us.anthropic.claude-opus-4-1-20250805-v1:0", "claude-opus-4-1")]
    [Arguments("gpt-5-mini-2025-08-07", "gpt-5-mini")]
    [Arguments("models/gemini-2.5-pro", "gemini-2.5-pro")]
    public async Task PricingTable_NormalisesProviderPrefixesAndDates(string model, string key)
    {
        await Assert.That(PricingTable.BuiltIn().TryFind(model, out _, out string found)).IsTrue();
        await Assert.That(found).IsEqualTo(key);
    }

    [Test]
    public async Task PricingFile_Invalid_IsOneClearError()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "bad.json");
        File.WriteAllText(path, "{\"models\": {\"x\": {\"input\": -1, \"output\": 2}}}");
        await Assert.That(() => PricingTable.BuiltIn().Merge(path)).Throws<AgentStrace.Errors.AgentStraceException>();
    }
}
