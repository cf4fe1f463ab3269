namespace AgentStrace.Json.Documents;

/// <summary><c>baseline.json</c> (also what <c>baseline show --format json</c> prints).</summary>
[JsonDocument]
public sealed partial class BaselineDocument
{
    /// <summary>The layout's version; a file of another one is refused (checked after reading, with its own message).</summary>
    public int? Version { get; init; }
    public double CreatedAt { get; init; }
    public int SessionCount { get; init; }
    public BaselineGroupDocument? Global { get; init; }
    public List<BaselineGroupDocument>? Groups { get; init; }
    public List<string>? Sessions { get; init; }
}

/// <summary>All sessions (no agent and model) or one agent + model, with each metric's statistics.</summary>
[JsonDocument]
public sealed partial class BaselineGroupDocument
{
    public string? Agent { get; init; }
    public string? Model { get; init; }
    public required int SessionCount { get; init; }
    public required Dictionary<string, MetricStatsDocument> Metrics { get; init; }
}

[JsonDocument]
public sealed partial class MetricStatsDocument
{
    public required int Count { get; init; }
    public required double Mean { get; init; }
    [JsonName("stddev")]
    public required double StdDev { get; init; }
    public required double Median { get; init; }
    public required double Mad { get; init; }
    public required double MeanAbsDeviation { get; init; }
    /// <summary>Written for readers of the file; computed again from the others when read.</summary>
    public double RobustSpread { get; init; }
    public required double Min { get; init; }
    public required double Max { get; init; }
}

/// <summary><c>baseline check --format json</c>.</summary>
[JsonDocument]
public sealed partial class BaselineCheckDocument
{
    public required string SessionId { get; init; }
    public required string Agent { get; init; }
    public required string Model { get; init; }
    public bool Anomalous { get; init; }
    public required string Method { get; init; }
    public double Threshold { get; init; }
    public required string Group { get; init; }
    public int BaselineSessions { get; init; }
    public required List<MetricCheckDocument> Metrics { get; init; }
}

[JsonDocument]
public sealed partial class MetricCheckDocument
{
    public required string Metric { get; init; }
    public double Value { get; init; }
    public double Centre { get; init; }
    public double Spread { get; init; }
    public double Low { get; init; }
    public double High { get; init; }
    public double Score { get; init; }
    public bool Anomalous { get; init; }
}
