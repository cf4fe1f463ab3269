namespace AgentStrace.Analysis.Pricing;

/// <summary>
/// USD per million tokens for one model: base input, output, cache write (5-minute) and cache read, plus the tiers
/// Anthropic bills per request: 1-hour cache writes, long-context rates (every token of a request whose input —
/// uncached + cache writes + cache reads — exceeds <see cref="LongContextThreshold"/>), fast mode, US-only inference,
/// the batch service tier and server-side web search requests.
/// </summary>
public readonly struct ModelPrice(double input, double output, double cacheWrite, double cacheRead)
{
    public double Input { get; init; } = input;
    public double Output { get; init; } = output;
    public double CacheWrite { get; init; } = cacheWrite;
    public double CacheRead { get; init; } = cacheRead;

    /// <summary>1-hour cache write; null = the 5-minute rate (providers without a separate tier).</summary>
    public double? CacheWrite1h { get; init; }

    /// <summary>Long-context rates; null = the model has no long-context premium.</summary>
    public LongContextPrice? LongContext { get; init; }

    public long LongContextThreshold { get; init; } = 200_000;

    /// <summary>Multiplier for <c>usage.speed == "fast"</c>; 1 when the model has no fast mode price.</summary>
    public double FastMultiplier { get; init; } = 1;

    /// <summary>Multiplier for <c>usage.inference_geo == "us"</c> (US-only inference).</summary>
    public double UsGeoMultiplier { get; init; } = 1;

    /// <summary>USD per server-side web search request.</summary>
    public double WebSearchPerRequest { get; init; }

    /// <summary>A price with no cache discount or surcharge (cache tokens billed as input).</summary>
    public static ModelPrice Flat(double input, double output) => new(input, output, input, input);

    /// <summary>Anthropic's multipliers: 5-minute write 1.25×, 1-hour write 2×, read 0.1× input; $10 per 1,000 web searches.</summary>
    public static ModelPrice Anthropic(double input, double output) =>
        new(input, output, input * 1.25, input * 0.1) { CacheWrite1h = input * 2, WebSearchPerRequest = 0.01 };

    /// <summary>USD for one call's usage; <paramref name="uncachedInput"/> excludes cache reads and writes.</summary>
    public double Cost(long uncachedInput, long output, long cacheWrite, long cacheRead) =>
        (uncachedInput * Input + output * Output + cacheWrite * CacheWrite + cacheRead * CacheRead) / 1_000_000.0;

    /// <summary>USD for one request, with every tier the usage names.</summary>
    public double Cost(in RequestUsage u)
    {
        bool longContext = LongContext is not null && u.Input + u.CacheWrite5m + u.CacheWrite1h + u.CacheRead > LongContextThreshold;
        LongContextPrice rates = longContext ? LongContext!.Value : new(Input, Output, CacheWrite, CacheWrite1h ?? CacheWrite, CacheRead);
        double usd = (u.Input * rates.Input + u.Output * rates.Output + u.CacheWrite5m * rates.CacheWrite
            + u.CacheWrite1h * rates.CacheWrite1h + u.CacheRead * rates.CacheRead) / 1_000_000.0;
        if (u.Speed == "fast") usd *= FastMultiplier;
        if (u.InferenceGeo == "us") usd *= UsGeoMultiplier;
        if (u.ServiceTier == "batch") usd *= 0.5; // Message Batches API: half price on every token kind
        return usd + u.WebSearchRequests * WebSearchPerRequest;
    }

    /// <summary>True when a request with this usage is billed at the long-context rates.</summary>
    public bool IsLongContext(in RequestUsage u) =>
        LongContext is not null && u.Input + u.CacheWrite5m + u.CacheWrite1h + u.CacheRead > LongContextThreshold;
}

/// <summary>USD per million tokens that apply to a whole request once its input passes the long-context threshold.</summary>
public readonly struct LongContextPrice(double input, double output, double cacheWrite, double cacheWrite1h, double cacheRead)
{
    public double Input { get; } = input;
    public double Output { get; } = output;
    public double CacheWrite { get; } = cacheWrite;
    public double CacheWrite1h { get; } = cacheWrite1h;
    public double CacheRead { get; } = cacheRead;

    /// <summary>Anthropic's long-context input/output rates with the usual cache multipliers on the long-context input rate.</summary>
    public static LongContextPrice Anthropic(double input, double output) => new(input, output, input * 1.25, input * 2, input * 0.1);

    /// <summary>Google's long-context rates: cache writes billed as input, cached input at its own rate.</summary>
    public static LongContextPrice Google(double input, double output, double cacheRead) => new(input, output, input, input, cacheRead);
}
