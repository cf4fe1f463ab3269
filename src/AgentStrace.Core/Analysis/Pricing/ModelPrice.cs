namespace AgentStrace.Analysis.Pricing;

/// <summary>USD per million tokens for one model: base input, output, cache write (5-minute) and cache read.</summary>
public readonly record struct ModelPrice(double Input, double Output, double CacheWrite, double CacheRead)
{
    /// <summary>A price with no cache discount or surcharge (cache tokens billed as input).</summary>
    public static ModelPrice Flat(double input, double output) => new(input, output, input, input);

    /// <summary>Anthropic-style cache pricing: write 1.25× input, read 0.1× input.</summary>
    public static ModelPrice WithAnthropicCache(double input, double output) => new(input, output, input * 1.25, input * 0.1);

    /// <summary>USD for one call's usage; <paramref name="uncachedInput"/> excludes cache reads and writes.</summary>
    public double Cost(long uncachedInput, long output, long cacheWrite, long cacheRead) =>
        (uncachedInput * Input + output * Output + cacheWrite * CacheWrite + cacheRead * CacheRead) / 1_000_000.0;
}
