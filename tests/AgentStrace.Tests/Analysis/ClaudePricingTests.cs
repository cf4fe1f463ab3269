using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Analysis.Reports;
using AgentStrace.Capture.Import;
using AgentStrace.Capture.Redaction;
using AgentStrace.Store;
using AgentStrace.Testing;
using U = AgentStrace.Testing.ClaudeTranscript.Usage;

namespace AgentStrace.Tests.Analysis;

/// <summary>
/// Each Anthropic billing tier, from a transcript through import and the store to the priced request. Every expected
/// figure is worked out by hand from the published rates (USD per million tokens).
/// </summary>
public sealed class ClaudePricingTests
{
    private static async Task<PricedCall> PriceOne(string model, U usage)
    {
        using var dir = new TempDir();
        var t = new ClaudeTranscript("5e551011-0000-4000-8000-000000000001").Prompt("go").Response("msg_01", model, usage);
        string file = Path.Combine(dir.Path, "claude", "projects", "-home-dev-app", t.SessionId + ".jsonl");
        t.Save(file);
        var store = new TraceStore(Path.Combine(dir.Path, "store"));
        new TranscriptImporter(store, Redactor.For(false)).Import(file);
        SessionLedger ledger = SessionLedger.Read(store.Find(t.SessionId), CostOptions.Default(PricingTable.BuiltIn()), null);
        await Assert.That(ledger.Calls.Count).IsEqualTo(1);
        return ledger.Calls[0];
    }

    private static double Cents(double usd) => Math.Round(usd * 100, 6);

    [Test]
    public async Task FiveMinuteCacheWrite_Is125PercentOfInput()
    {
        // Opus 4.6: 1,000 in × $5 + 2,000 out × $25 + 10,000 5-minute writes × $6.25 = $0.005 + $0.05 + $0.0625 = $0.1175
        PricedCall c = await PriceOne("claude-opus-4-6", new U(1_000, 2_000, Cache5m: 10_000));
        await Assert.That(Cents(c.Usd)).IsEqualTo(11.75);
        await Assert.That(c.Usage.CacheWrite5m).IsEqualTo(10_000L);
    }

    [Test]
    public async Task OneHourCacheWrite_IsTwiceInput()
    {
        // 10,000 1-hour writes × $10 = $0.10 (the 5-minute rate would give $0.0625): $0.005 + $0.05 + $0.10 = $0.155
        PricedCall c = await PriceOne("claude-opus-4-6", new U(1_000, 2_000, Cache1h: 10_000));
        await Assert.That(Cents(c.Usd)).IsEqualTo(15.5);
        await Assert.That(c.Usage.CacheWrite1h).IsEqualTo(10_000L);
    }

    [Test]
    public async Task MixedWritesAndReads()
    {
        // Sonnet 4.6: 500 in × $3 = $0.0015; 800 out × $15 = $0.012; 4,000 5m × $3.75 = $0.015; 6,000 1h × $6 = $0.036;
        // 100,000 reads × $0.30 = $0.03. Total $0.0945.
        PricedCall c = await PriceOne("claude-sonnet-4-6", new U(500, 800, Cache5m: 4_000, Cache1h: 6_000, CacheRead: 100_000));
        await Assert.That(Cents(c.Usd)).IsEqualTo(9.45);
    }

    [Test]
    public async Task NoSplit_AllWritesAreFiveMinute()
    {
        // Without cache_creation{…}: 10,000 writes at the 5-minute rate, $0.0625 + $0.005 + $0.05.
        PricedCall c = await PriceOne("claude-opus-4-6", new U(1_000, 2_000, Cache5m: 10_000) { NoSplit = true });
        await Assert.That(Cents(c.Usd)).IsEqualTo(11.75);
    }

    [Test]
    public async Task LongContext_AboveThreshold_EveryTokenAtThePremiumRate()
    {
        // Sonnet 4.5, 150,000 in + 60,000 reads = 210,000 input tokens > 200k: the whole request at the long-context
        // rates: 150,000 × $6 = $0.90; 60,000 × $0.60 = $0.036; 1,000 out × $22.50 = $0.0225. Total $0.9585.
        PricedCall above = await PriceOne("claude-sonnet-4-5-20250929", new U(150_000, 1_000, CacheRead: 60_000));
        await Assert.That(Cents(above.Usd)).IsEqualTo(95.85);
        // 150,000 + 40,000 = 190,000: standard rates, $0.45 + $0.012 + $0.015 = $0.477.
        PricedCall below = await PriceOne("claude-sonnet-4-5-20250929", new U(150_000, 1_000, CacheRead: 40_000));
        await Assert.That(Cents(below.Usd)).IsEqualTo(47.7);
    }

    [Test]
    public async Task LongContext_CacheWritesCountTowardsTheThreshold()
    {
        // 1,000 in + 200,000 1h writes = 201,000 > 200k: 1,000 × $6 + 200,000 × $12 + 100 out × $22.50 = $0.006 + $2.40 + $0.00225.
        PricedCall c = await PriceOne("claude-sonnet-4-5", new U(1_000, 100, Cache1h: 200_000));
        await Assert.That(Cents(c.Usd)).IsEqualTo(240.825);
    }

    [Test]
    [Arguments("gemini-2.5-pro", 150_000L, 60_000L, 1_000L, 150_000 * 2.5 + 60_000 * 0.25 + 1_000 * 15)]
    [Arguments("gemini-2.5-pro", 150_000L, 40_000L, 1_000L, 150_000 * 1.25 + 40_000 * 0.125 + 1_000 * 10)]
    [Arguments("gemini-3-pro-preview", 190_000L, 20_000L, 2_000L, 190_000 * 4 + 20_000 * 0.4 + 2_000 * 18)]
    [Arguments("gemini-3-flash-preview", 190_000L, 20_000L, 2_000L, 190_000 * 0.5 + 20_000 * 0.05 + 2_000 * 3)]
    public async Task Gemini_PromptAbove200k_PricedAtTheLongContextRates(string model, long uncached, long cached, long output, double microUsd)
    {
        // A Gemini prompt is uncached + cached input; above 200k the Pro models bill the whole request at their long-context rates.
        await Assert.That(PricingTable.BuiltIn().TryFind(model, out ModelPrice price, out _)).IsTrue();
        double usd = price.Cost(new RequestUsage(uncached, output, 0, 0, cached));
        await Assert.That(usd).IsEqualTo(microUsd / 1_000_000).Within(1e-12);
    }

    [Test]
    [Arguments("gpt-5.4", 1_000_000 * 2.5 + 200_000 * 0.25 + 10_000 * 15.0)]
    [Arguments("gpt-5.4-mini", 1_000_000 * 0.75 + 200_000 * 0.075 + 10_000 * 4.5)]
    [Arguments("gpt-5.4-mini-2026-03-17", 1_000_000 * 0.75 + 200_000 * 0.075 + 10_000 * 4.5)]
    public async Task OpenAi_CachedInputAtTheCachedRate(string model, double microUsd)
    {
        // 1,000,000 uncached + 200,000 cached input, 10,000 output; a dated name takes its model's price (not gpt-5.4's).
        await Assert.That(PricingTable.BuiltIn().TryFind(model, out ModelPrice price, out _)).IsTrue();
        double usd = price.Cost(new RequestUsage(1_000_000, 10_000, 0, 0, 200_000));
        await Assert.That(usd).IsEqualTo(microUsd / 1_000_000).Within(1e-12);
    }

    [Test]
    public async Task WebSearch_TenDollarsPerThousandRequests()
    {
        // Opus 4.6: 100 in × $5 + 100 out × $25 = $0.003; 3 searches × $0.01 = $0.03. Total $0.033.
        PricedCall c = await PriceOne("claude-opus-4-6", new U(100, 100) { WebSearches = 3 });
        await Assert.That(Cents(c.Usd)).IsEqualTo(3.3);
        await Assert.That(c.Usage.WebSearchRequests).IsEqualTo(3L);
    }

    [Test]
    public async Task FastMode_MultipliesTheTokenPrice()
    {
        // Opus 4.6 fast mode is 6× (LiteLLM provider_specific_entry.fast): (1,000 × $5 + 1,000 × $25) × 6 = $0.18.
        PricedCall c = await PriceOne("claude-opus-4-6", new U(1_000, 1_000) { Speed = "fast" });
        await Assert.That(Cents(c.Usd)).IsEqualTo(18.0);
    }

    [Test]
    public async Task UsOnlyInference_TenPercentMore()
    {
        // Opus 4.6 with inference_geo "us": (1,000 × $5 + 1,000 × $25) × 1.1 = $0.033.
        PricedCall c = await PriceOne("claude-opus-4-6", new U(1_000, 1_000) { Geo = "us" });
        await Assert.That(Cents(c.Usd)).IsEqualTo(3.3);
    }

    [Test]
    public async Task BatchServiceTier_HalfPrice()
    {
        // Opus 4.6 through the Batches API: (1,000 × $5 + 1,000 × $25 + 10,000 1h × $10) × 0.5 = $0.065.
        PricedCall c = await PriceOne("claude-opus-4-6", new U(1_000, 1_000, Cache1h: 10_000) { Tier = "batch" });
        await Assert.That(Cents(c.Usd)).IsEqualTo(6.5);
    }

    [Test]
    public async Task PriorityServiceTier_PricedAsStandard_ItsRatesAreNegotiatedNotPublished()
    {
        // Anthropic publishes no per-token price for usage.service_tier "priority" (a capacity commitment under
        // contract): the request is priced at the standard rates, 1,000 × $5 + 1,000 × $25 = $0.03.
        PricedCall c = await PriceOne("claude-opus-4-6", new U(1_000, 1_000) { Tier = "priority" });
        await Assert.That(Cents(c.Usd)).IsEqualTo(3.0);
        await Assert.That(c.Usage.ServiceTier).IsEqualTo("priority");
    }

    [Test]
    public async Task SyntheticOnlySession_CostsZero_NotAnEstimate()
    {
        using var dir = new TempDir();
        var t = new ClaudeTranscript("5e551011-0000-4000-8000-000000000002").Prompt("hello")
            .Response("msg_syn", "<synthetic>", new U(0, 0), "No response requested.");
        string file = Path.Combine(dir.Path, t.SessionId + ".jsonl");
        t.Save(file);
        var store = new TraceStore(Path.Combine(dir.Path, "store"));
        new TranscriptImporter(store, Redactor.For(false)).Import(file);
        SessionLedger ledger = SessionLedger.Read(store.Find(t.SessionId), CostOptions.Default(PricingTable.BuiltIn()), null);
        await Assert.That(ledger.Cost.Method).IsEqualTo("usage");
        await Assert.That(ledger.Cost.Estimated).IsFalse();
        await Assert.That(ledger.Cost.TotalUsd).IsEqualTo(0.0);
    }

    [Test]
    public async Task PricingFile_NamesEveryTier()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "p.json");
        File.WriteAllText(path, """
            {"snapshot": "2026-09-01", "models": {"acme-1": {"input": 2, "output": 8, "cache_write": 2.5, "cache_write_1h": 4, "cache_read": 0.2,
              "input_above_200k": 4, "output_above_200k": 12, "fast_multiplier": 3, "web_search_per_1000": 20}}}
            """);
        PricingTable table = PricingTable.BuiltIn();
        table.Merge(path);
        await Assert.That(table.TryFind("acme-1", out ModelPrice p, out _)).IsTrue();
        // Below 200k: 1,000 × $2 + 1,000 × $8 + 1,000 1h × $4 + 1,000 read × $0.2 = $0.0142; fast ×3 = $0.0426; +2 searches × $0.02.
        var u = new RequestUsage(1_000, 1_000, 0, 1_000, 1_000) { Speed = "fast", WebSearchRequests = 2 };
        await Assert.That(Cents(p.Cost(u))).IsEqualTo(8.26);
        // Above: long-context cache rates keep the model's ratios (1h: 4 × 4/2 = 8; read 0.2 × 2 = 0.4):
        // 300,000 × $4 + 1,000 × $12 + 1,000 × $8 + 1,000 × $0.4 = $1.2204.
        var big = new RequestUsage(300_000, 1_000, 0, 1_000, 1_000);
        await Assert.That(Cents(p.Cost(big))).IsEqualTo(122.04);
    }
}
