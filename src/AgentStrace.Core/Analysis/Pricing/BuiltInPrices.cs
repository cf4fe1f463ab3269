namespace AgentStrace.Analysis.Pricing;

/// <summary>
/// The built-in price snapshot (USD per million tokens); docs/metrics-and-baseline.md ("Pricing table and file format") names the sources and every rule.
/// Anthropic: 5-minute cache write 1.25× input, 1-hour write 2×, read 0.1×, $10 per 1,000 web searches; the
/// long-context premium (every token of a request above 200k input tokens) where the model has one; fast mode and
/// US-only inference multipliers where published.
/// </summary>
public static class BuiltInPrices
{
    public const string SnapshotDate = "2026-08-21";

    public const string Sources = "Anthropic pricing page (2026-08-21); LiteLLM model_prices_and_context_window.json (2026-07-24); openai.com/api/pricing; ai.google.dev/pricing";

    public static IEnumerable<KeyValuePair<string, ModelPrice>> All()
    {
        // Anthropic. US-only inference (inference_geo "us") is 1.1× on the 4.6 generation and later.
        foreach (string m in (string[])["claude-fable-5", "claude-mythos-5"]) yield return new(m, ModelPrice.Anthropic(10, 50) with { UsGeoMultiplier = 1.1 });
        yield return new("claude-opus-5", ModelPrice.Anthropic(5, 25) with { FastMultiplier = 2, UsGeoMultiplier = 1.1 });
        yield return new("claude-opus-4-8", ModelPrice.Anthropic(5, 25) with { FastMultiplier = 2, UsGeoMultiplier = 1.1 });
        yield return new("claude-opus-4-7", ModelPrice.Anthropic(5, 25) with { UsGeoMultiplier = 1.1 });
        yield return new("claude-opus-4-6", ModelPrice.Anthropic(5, 25) with { FastMultiplier = 6, UsGeoMultiplier = 1.1 });
        yield return new("claude-opus-4-5", ModelPrice.Anthropic(5, 25));
        foreach (string m in (string[])["claude-opus-4-1", "claude-opus-4", "claude-3-opus"]) yield return new(m, ModelPrice.Anthropic(15, 75));
        yield return new("claude-sonnet-5", ModelPrice.Anthropic(2, 10) with { UsGeoMultiplier = 1.1 });
        yield return new("claude-sonnet-4-6", ModelPrice.Anthropic(3, 15) with { UsGeoMultiplier = 1.1 });
        foreach (string m in (string[])["claude-sonnet-4-5", "claude-sonnet-4"])
        {
            yield return new(m, ModelPrice.Anthropic(3, 15) with { LongContext = LongContextPrice.Anthropic(6, 22.5) });
        }
        foreach (string m in (string[])["claude-3-7-sonnet", "claude-3-5-sonnet"]) yield return new(m, ModelPrice.Anthropic(3, 15));
        yield return new("claude-haiku-4-5", ModelPrice.Anthropic(1, 5));
        yield return new("claude-3-5-haiku", ModelPrice.Anthropic(0.8, 4));
        yield return new("claude-3-haiku", ModelPrice.Anthropic(0.25, 1.25) with { CacheWrite = 0.3, CacheRead = 0.03, CacheWrite1h = 0.5 });

        // OpenAI: no cache-write charge (writes are billed as input), cached input discounted.
        foreach (string m in (string[])["gpt-5", "gpt-5-codex", "gpt-5.1", "gpt-5.1-codex", "gpt-5.1-codex-max"]) yield return new(m, new(1.25, 10, 1.25, 0.125));
        foreach (string m in (string[])["gpt-5-mini", "gpt-5.1-codex-mini"]) yield return new(m, new(0.25, 2, 0.25, 0.025));
        foreach (string m in (string[])["gpt-5.2", "gpt-5.2-codex", "gpt-5.3-codex"]) yield return new(m, new(1.75, 14, 1.75, 0.175));
        yield return new("gpt-5.4", new(2.5, 15, 2.5, 0.25));
        yield return new("gpt-5.4-mini", new(0.75, 4.5, 0.75, 0.075));
        yield return new("gpt-5.5", new(5, 30, 5, 0.5));
        yield return new("gpt-5-nano", new(0.05, 0.4, 0.05, 0.005));
        yield return new("gpt-5-pro", ModelPrice.Flat(15, 120));
        yield return new("codex-mini-latest", new(1.5, 6, 1.5, 0.375));
        yield return new("gpt-4.1", new(2, 8, 2, 0.5));
        yield return new("gpt-4.1-mini", new(0.4, 1.6, 0.4, 0.1));
        yield return new("gpt-4.1-nano", new(0.1, 0.4, 0.1, 0.025));
        yield return new("gpt-4o", new(2.5, 10, 2.5, 1.25));
        yield return new("gpt-4o-mini", new(0.15, 0.6, 0.15, 0.075));
        yield return new("o3", new(2, 8, 2, 0.5));
        yield return new("o4-mini", new(1.1, 4.4, 1.1, 0.275));

        // Google: no cache-write charge; a request whose prompt exceeds 200k tokens is billed at the long-context
        // rates on the Pro models.
        yield return new("gemini-3-pro", new(2, 12, 2, 0.2) { LongContext = LongContextPrice.Google(4, 18, 0.4) });
        yield return new("gemini-3-flash", new(0.5, 3, 0.5, 0.05));
        yield return new("gemini-2.5-pro", new(1.25, 10, 1.25, 0.125) { LongContext = LongContextPrice.Google(2.5, 15, 0.25) });
        yield return new("gemini-2.5-flash", new(0.3, 2.5, 0.3, 0.03));
        yield return new("gemini-2.5-flash-lite", new(0.1, 0.4, 0.1, 0.01));
        yield return new("gemini-2.0-flash", new(0.1, 0.4, 0.1, 0.025));
    }

    /// <summary>Upstream's heuristic price keys for <c>cost --model</c>, input/output only.</summary>
    public static bool TryHeuristic(string key, out ModelPrice price)
    {
        (double input, double output) = key switch
        {
            "sonnet" => (3, 15),
            "opus" => (15, 75),
            "haiku" => (0.25, 1.25),
            "gpt4" => (30, 60),
            "gpt4o" => (5, 15),
            _ => (-1.0, -1.0),
        };
        price = ModelPrice.Flat(Math.Max(0, input), Math.Max(0, output));
        return input >= 0;
    }
}
