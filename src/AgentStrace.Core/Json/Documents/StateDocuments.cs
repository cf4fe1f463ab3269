namespace AgentStrace.Json.Documents;

/// <summary><c>&lt;store&gt;/.spool/checkpoint.json</c>: where a streaming watch resumes.</summary>
[JsonDocument]
public sealed partial class CheckpointDocument
{
    public int Version { get; init; } = 1;
    public required long SpoolGeneration { get; init; }
    public required long SpoolAcked { get; init; }
    public required Dictionary<string, SessionOffsetDocument> Sessions { get; init; }
}

/// <summary>How far a session was streamed or shipped. Ship state only: <see cref="Skipped"/> says why it was given
/// up, <see cref="MetricsSent"/> (written only when true) that its metrics went out.</summary>
[JsonDocument]
public sealed partial class SessionOffsetDocument
{
    public required long Offset { get; init; }
    public required bool Finished { get; init; }
    public string? Skipped { get; init; }
    public bool? MetricsSent { get; init; }
}

/// <summary><c>&lt;store&gt;/.outbox/ship-state.json</c>: the shipper's progress and health.</summary>
[JsonDocument]
public sealed partial class ShipStateDocument
{
    public int Version { get; init; } = 1;
    public required double LastSuccessAt { get; init; }
    public required string? LastError { get; init; }
    public required double LastErrorAt { get; init; }
    public required int Failures { get; init; }
    public required double NextAttemptAt { get; init; }
    public required long DeliveredSpans { get; init; }
    public required long DroppedEntries { get; init; }
    public string? LastWarning { get; init; }
    public required Dictionary<string, SessionOffsetDocument> Sessions { get; init; }
}

/// <summary>One outbox entry (<c>&lt;store&gt;/.outbox/*.json</c>), written compact.</summary>
[JsonDocument]
public sealed partial class OutboxDocument
{
    public required string? SessionId { get; init; }
    public required long Offset { get; init; }
    public required bool Final { get; init; }
    public required double At { get; init; }
    public Dictionary<string, string>? Resource { get; init; }
}

/// <summary><c>&lt;store&gt;/.spool/status.json</c>: the counters of a running watch, read by <c>watch --status</c>.</summary>
[JsonDocument]
public sealed partial class WatchStatusDocument
{
    public int Pid { get; init; }
    public bool Running { get; init; }
    public double UpdatedAt { get; init; }
    public int SessionsFollowed { get; init; }
    public long TailLagBytes { get; init; }
    public double? LastEventAt { get; init; }
    public string? Destination { get; init; }
    public long SpooledSpans { get; init; }
    public long SpooledBytes { get; init; }
    public double? OldestSpooledAgeSeconds { get; init; }
    public long DroppedSpans { get; init; }
    public long DamagedRecords { get; init; }
    public long SentSpans { get; init; }
    public long RejectedSpans { get; init; }
    public double? LastSuccessAt { get; init; }
    public string? LastError { get; init; }
    public double? LastErrorAt { get; init; }
}

/// <summary>The part of <c>watchdog-postmortem.json</c> an export reads (the file is written Python-compatibly).</summary>
[JsonDocument]
public sealed partial class PostmortemDocument
{
    public string? Reason { get; init; }
}
