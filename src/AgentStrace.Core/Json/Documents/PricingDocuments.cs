namespace AgentStrace.Json.Documents;

/// <summary>
/// A pricing file (<c>pricing.json</c>, <c>cost --pricing</c>): <c>{"snapshot": "2026-06-01", "models": {"name":
/// {"input": 3, "output": 15}}}</c>, USD per million tokens. People write it by hand, so it is read strictly (a
/// misspelt rate is an error, not a price silently left at its default) and may hold comments.
/// </summary>
[JsonDocument(Strict = true, Comments = true)]
public sealed partial class PricingDocument
{
    public string? Snapshot { get; init; }
    public required Dictionary<string, PriceDocument> Models { get; init; }
}

/// <summary>One model's rates; every one optional to the reader (the pricing table says which are needed).</summary>
[JsonDocument(Strict = true, Comments = true)]
public sealed partial class PriceDocument
{
    public double? Input { get; init; }
    public double? Output { get; init; }
    public double? CacheWrite { get; init; }
    [JsonName("cache_write_1h")]
    public double? CacheWrite1h { get; init; }
    public double? CacheRead { get; init; }
    [JsonName("input_above_200k")]
    public double? InputAbove200k { get; init; }
    [JsonName("output_above_200k")]
    public double? OutputAbove200k { get; init; }
    [JsonName("cache_write_above_200k")]
    public double? CacheWriteAbove200k { get; init; }
    [JsonName("cache_write_1h_above_200k")]
    public double? CacheWrite1hAbove200k { get; init; }
    [JsonName("cache_read_above_200k")]
    public double? CacheReadAbove200k { get; init; }
    public double? LongContextThreshold { get; init; }
    public double? FastMultiplier { get; init; }
    public double? UsGeoMultiplier { get; init; }
    [JsonName("web_search_per_1000")]
    public double? WebSearchPer1000 { get; init; }
}
