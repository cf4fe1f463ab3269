namespace AgentStrace.Analysis.Pricing;

/// <summary>
/// The built-in price snapshot (USD per million tokens). Sources: LiteLLM <c>model_prices_and_context_window.json</c>
/// cross-checked with Anthropic's price page (cache write 5 min = 1.25× input, cache read = 0.1× input).
/// Long-context tiers (above 200k tokens) and fast/regional surcharges are not modelled; override in a pricing file.
/// </summary>
public static class BuiltInPrices
{
    public const string SnapshotDate = "2026-05-01";

    public const string Sources = "LiteLLM model_prices_and_context_window.json; anthropic.com/pricing; openai.com/api/pricing; ai.google.dev/pricing";

    public static IEnumerable<KeyValuePair<string, ModelPrice>> All()
    {
        // Anthropic
        foreach (string m in (string[])["claude-fable-5", "claude-mythos-5"]) yield return new(m, new(10, 50, 12.5, 1.0));
        foreach (string m in (string[])["claude-opus-5", "claude-opus-4-8", "claude-opus-4-7", "claude-opus-4-6", "claude-opus-4-5"]) yield return new(m, new(5, 25, 6.25, 0.5));
        foreach (string m in (string[])["claude-opus-4-1", "claude-opus-4", "claude-3-opus"]) yield return new(m, new(15, 75, 18.75, 1.5));
        yield return new("claude-sonnet-5", new(2, 10, 2.5, 0.2));
        foreach (string m in (string[])["claude-sonnet-4-6", "claude-sonnet-4-5", "claude-sonnet-4", "claude-3-7-sonnet", "claude-3-5-sonnet"]) yield return new(m, new(3, 15, 3.75, 0.3));
        yield return new("claude-haiku-4-5", new(1, 5, 1.25, 0.1));
        yield return new("claude-3-5-haiku", new(0.8, 4, 1.0, 0.08));
        yield return new("claude-3-haiku", new(0.25, 1.25, 0.3, 0.03));

        // OpenAI: no cache-write charge (writes are billed as input), cached input discounted.
        foreach (string m in (string[])["gpt-5", "gpt-5-codex", "gpt-5.1", "gpt-5.1-codex", "gpt-5.1-codex-max"]) yield return new(m, new(1.25, 10, 1.25, 0.125));
        foreach (string m in (string[])["gpt-5-mini", "gpt-5.1-codex-mini"]) yield return new(m, new(0.25, 2, 0.25, 0.025));
        foreach (string m in (string[])["gpt-5.2", "gpt-5.2-codex", "gpt-5.3-codex"]) yield return new(m, new(1.75, 14, 1.75, 0.175));
        yield return new("gpt-5.4", new(2.5, 15, 2.5, 0.25));
        yield return new("gpt-5.5", new(5, 30, 5, 0.5));
        yield return new("gpt-4.1", new(2, 8, 2, 0.5));
        yield return new("gpt-4o", new(2.5, 10, 2.5, 1.25));
        yield return new("o3", new(2, 8, 2, 0.5));
        yield return new("o4-mini", new(1.1, 4.4, 1.1, 0.275));

        // Google (prompts up to 200k tokens).
        yield return new("gemini-2.5-pro", new(1.25, 10, 1.25, 0.125));
        yield return new("gemini-2.5-flash", new(0.3, 2.5, 0.3, 0.03));
    }

    /// <summary>Upstream's heuristic price keys for <c>cost --model</c>, input/output only.</summary>
    public static bool TryHeuristic(string key, out ModelPrice price)
    {
        price = key switch
        {
            "sonnet" => ModelPrice.Flat(3, 15),
            "opus" => ModelPrice.Flat(15, 75),
            "haiku" => ModelPrice.Flat(0.25, 1.25),
            "gpt4" => ModelPrice.Flat(30, 60),
            "gpt4o" => ModelPrice.Flat(5, 15),
            _ => default,
        };
        return price != default;
    }
}
