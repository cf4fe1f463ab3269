namespace AgentStrace.Json.Documents;

/// <summary><c>cost --format json</c>: per session, with its models.</summary>
[JsonDocument]
public sealed partial class CostDocument
{
    public required string PricingSnapshot { get; init; }
    public required List<string> PricingOverrides { get; init; }
    public double TotalUsd { get; init; }
    public required List<CostSessionDocument> Sessions { get; init; }
}

[JsonDocument]
public sealed partial class CostSessionDocument
{
    public required string SessionId { get; init; }
    public required string Agent { get; init; }
    public required string Method { get; init; }
    public bool Estimated { get; init; }
    public double CostUsd { get; init; }
    public int Calls { get; init; }
    public int EstimatedCalls { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public required List<CostModelDocument> Models { get; init; }
}

[JsonDocument]
public sealed partial class CostModelDocument
{
    public required string Model { get; init; }
    public required string PriceKey { get; init; }
    public bool Priced { get; init; }
    public int Calls { get; init; }
    public int EstimatedCalls { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public double CostUsd { get; init; }
}

/// <summary><c>cost --by … --format json</c>: the table's rows and total.</summary>
[JsonDocument]
public sealed partial class CostTableDocument
{
    public required string By { get; init; }
    public required string TimeZone { get; init; }
    public required string PricingSnapshot { get; init; }
    public required List<string> PricingOverrides { get; init; }
    public required List<CostRowDocument> Rows { get; init; }
    public required CostRowDocument Total { get; init; }
}

/// <summary>One row of the table (or one model of a row, which has no <see cref="Models"/>).</summary>
[JsonDocument]
public sealed partial class CostRowDocument
{
    public required string Key { get; init; }
    public string? Note { get; init; }
    public int Calls { get; init; }
    public int EstimatedCalls { get; init; }
    public int Sessions { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    [JsonName("cache_write_1h_tokens")]
    public long CacheWrite1hTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long TotalTokens { get; init; }
    public long WebSearchRequests { get; init; }
    public double CostUsd { get; init; }
    public string? First { get; init; }
    public string? Last { get; init; }
    public List<CostRowDocument>? Models { get; init; }
}
