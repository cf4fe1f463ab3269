using AgentStrace.Json;

namespace AgentStrace.Model;

/// <summary>
/// One line of <c>events.ndjson</c> (spec §1.2). <see cref="Data"/> holds the raw JSON object bytes exactly as
/// stored, so a read-then-write round trip is byte-identical and readers parse only the keys they need.
/// </summary>
public sealed class TraceEvent
{
    public required EventType Type { get; init; }
    public required double Timestamp { get; init; }
    public required string EventId { get; init; }
    public string SessionId { get; init; } = "";
    public string ParentId { get; init; } = "";
    public double? DurationMs { get; init; }
    public JsonObject Data { get; init; } = JsonObject.Empty;
    public string PrevHash { get; init; } = "";
    public bool Redacted { get; init; }
    public string TenantId { get; init; } = "";

    /// <summary>1-based line number in the file it was read from (0 when built in memory).</summary>
    public long Line { get; init; }
}
