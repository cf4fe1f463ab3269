namespace AgentStrace.Json.Documents;

/// <summary>
/// The user's own <c>config.json</c> (the Config room's <c>UserConfig</c>): the settings that may weaken protection
/// and the delivery target <c>setup --ship-to</c> writes. Read strictly: a misspelt setting (<c>"redcat": false</c>)
/// is an error naming it, not a setting silently left at its default.
/// </summary>
[JsonDocument(Strict = true)]
public sealed partial class UserConfigDocument
{
    public bool? Redact { get; init; }
    public bool? TranscriptUsage { get; init; }
    public ShipDocument? Ship { get; init; }
}

/// <summary>The <c>"ship"</c> section, in the order <c>setup</c> writes it (unset values left out).</summary>
[JsonDocument(Strict = true)]
public sealed partial class ShipDocument
{
    public required string To { get; init; }
    public string? Protocol { get; init; }
    public string? Format { get; init; }
    public string? ServiceName { get; init; }
    public string? Backend { get; init; }
    public List<ShipHeaderDocument>? Headers { get; init; }
    public string? HeaderFile { get; init; }
    public string? User { get; init; }
    public bool? AnonymizeUser { get; init; }
    public double? MinCost { get; init; }
    public bool? ErrorsOnly { get; init; }
    public string? Path { get; init; }
    public double? Sample { get; init; }
    public double? MaxAgeDays { get; init; }
    public double? MaxMb { get; init; }
    public int? Concurrency { get; init; }
    public int? BatchSpans { get; init; }
    public bool? Metrics { get; init; }
}

/// <summary>A header: its literal value, or the environment variable it is read from when sending.</summary>
[JsonDocument(Strict = true)]
public sealed partial class ShipHeaderDocument
{
    public required string Name { get; init; }
    public string? Value { get; init; }
    public string? Env { get; init; }
}
