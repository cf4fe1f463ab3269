namespace AgentStrace.Analysis;

/// <summary>Tokens and USD of one model within a session. Input excludes cache reads and writes.</summary>
public sealed class ModelCost
{
    public required string Model { get; init; }
    /// <summary>The pricing-table key that priced it, or "" when the model has no price.</summary>
    public string PriceKey { get; set; } = "";
    public bool Priced { get; set; }
    public int Calls { get; set; }
    public int EstimatedCalls { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long CacheWriteTokens { get; set; }
    public long CacheReadTokens { get; set; }
    /// <summary>The part of <see cref="CacheWriteTokens"/> written with a 1-hour lifetime.</summary>
    public long CacheWrite1hTokens { get; set; }
    public long WebSearchRequests { get; set; }
    /// <summary>Calls billed at the long-context rates, and in fast mode.</summary>
    public int LongContextCalls { get; set; }
    public int FastCalls { get; set; }
    /// <summary>The price applied (meaningful when <see cref="Priced"/>).</summary>
    public Pricing.ModelPrice Price { get; set; }
    public double Usd { get; set; }
}
