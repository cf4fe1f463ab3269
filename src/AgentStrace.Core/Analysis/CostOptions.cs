using AgentStrace.Analysis.Pricing;

namespace AgentStrace.Analysis;

/// <summary>How to price a session.</summary>
public sealed record CostOptions
{
    public required PricingTable Table { get; init; }
    /// <summary>Prices every call at this model (<c>cost --model</c>): a table model or an upstream key (sonnet, opus, haiku, gpt4, gpt4o).</summary>
    public string? Model { get; init; }
    /// <summary>Custom prices (<c>--input-price/--output-price</c>); wins over everything.</summary>
    public ModelPrice? CustomPrice { get; init; }
    /// <summary>Ignore recorded usage and use upstream's heuristic for the whole session (upstream-compatible figures).</summary>
    public bool ForceHeuristic { get; init; }

    public static CostOptions Default(PricingTable table) => new() { Table = table };
}
