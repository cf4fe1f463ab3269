using AgentStrace.Analysis.Pricing;
using AgentStrace.Errors;

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

    /// <summary>Validates <c>cost</c>'s flags (upstream: both prices or neither).</summary>
    private const double MaxPrice = 1_000_000;

    public static CostOptions FromFlags(PricingTable table, string? model, double? inputPrice, double? outputPrice, bool heuristic)
    {
        if ((inputPrice is null) != (outputPrice is null))
        {
            throw new AgentStraceException("--input-price and --output-price must be provided together (USD per million tokens).");
        }
        ModelPrice? custom = null;
        if (inputPrice is { } i && outputPrice is { } o)
        {
            // A million dollars per million tokens is far above any model's price: a larger figure is a typo.
            if (!(i >= 0) || !(o >= 0) || !(i <= MaxPrice) || !(o <= MaxPrice))
            {
                throw new AgentStraceException("--input-price and --output-price must be numbers from 0 to 1000000 (USD per million tokens).");
            }
            custom = ModelPrice.Flat(i, o);
        }
        if (model is { Length: > 0 } && custom is null && !BuiltInPrices.TryHeuristic(model, out _) && !table.TryFind(model, out _, out _))
        {
            throw new AgentStraceException($"Unknown --model '{model}': use sonnet, opus, haiku, gpt4, gpt4o or a model of the pricing table (e.g. claude-sonnet-4-6), or add it with --pricing FILE.");
        }
        return new CostOptions { Table = table, Model = model is { Length: > 0 } ? model : null, CustomPrice = custom, ForceHeuristic = heuristic };
    }
}
