namespace AgentStrace.Json.Documents;

/// <summary>
/// One session in <c>list --format json</c>: its values are meta.json's, so they are written as the Python tool writes
/// meta.json (<c>json.dumps(indent=2)</c>: <c>1e+20</c>, <c>2.0</c>, non-ASCII as <c>\u00e9</c>).
/// </summary>
[JsonDocument(Python = true)]
public sealed partial class SessionListDocument
{
    public required string SessionId { get; init; }
    public double StartedAt { get; init; }
    [JsonKeepNull]
    public double? EndedAt { get; init; }
    public required string AgentName { get; init; }
    public required string Command { get; init; }
    public long ToolCalls { get; init; }
    public long LlmRequests { get; init; }
    public long Errors { get; init; }
    public long TotalTokens { get; init; }
    public double TotalDurationMs { get; init; }
    public required string ParentSessionId { get; init; }
    public long Depth { get; init; }
}

/// <summary><c>stats --format json</c> (and each side of <c>diff --format json</c>).</summary>
[JsonDocument]
public sealed partial class StatsDocument
{
    public required string Title { get; init; }
    public int Sessions { get; init; }
    public int Subagents { get; init; }
    [JsonName("duration_s")]
    public double DurationSeconds { get; init; }
    public int ToolCalls { get; init; }
    public int ModelCalls { get; init; }
    public int Errors { get; init; }
    public double ErrorRate { get; init; }
    public long Retries { get; init; }
    public double RetryRate { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public double CostUsd { get; init; }
    public bool CostEstimated { get; init; }
    public required List<ToolStatDocument> Tools { get; init; }
    public required List<ModelStatDocument> Models { get; init; }
    public required List<string> FilesWritten { get; init; }
    public required List<string> FilesRead { get; init; }
}

[JsonDocument]
public sealed partial class ToolStatDocument
{
    public required string Tool { get; init; }
    public int Calls { get; init; }
    public int Errors { get; init; }
    public double P50Ms { get; init; }
    public double P95Ms { get; init; }
    public double MaxMs { get; init; }
}

[JsonDocument]
public sealed partial class ModelStatDocument
{
    public required string Model { get; init; }
    public int Calls { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public double CostUsd { get; init; }
}

/// <summary>Scores as one Langfuse ingestion batch (<c>POST /api/public/ingestion</c>).</summary>
[JsonDocument]
public sealed partial class ScoreBatchDocument
{
    public required List<ScoreEventDocument> Batch { get; init; }
}

/// <summary>One <c>score-create</c> event of an ingestion batch.</summary>
[JsonDocument]
public sealed partial class ScoreEventDocument
{
    public required string Id { get; init; }
    public required string Timestamp { get; init; }
    public required string Type { get; init; }
    public required ScoreDocument Body { get; init; }
}

/// <summary>The body of one Langfuse score, in Langfuse's camelCase.</summary>
[JsonDocument]
public sealed partial class ScoreDocument
{
    [JsonName("id")] public required string Id { get; init; }
    [JsonName("traceId")] public required string TraceId { get; init; }
    [JsonName("observationId")] public string? ObservationId { get; init; }
    [JsonName("name")] public required string Name { get; init; }
    [JsonName("value")] public double Value { get; init; }
    [JsonName("dataType")] public required string DataType { get; init; }
    [JsonName("comment")] public required string Comment { get; init; }
    [JsonName("environment")] public string? Environment { get; init; }
    [JsonName("metadata")] public required ScoreMetadataDocument Metadata { get; init; }
}

[JsonDocument]
public sealed partial class ScoreMetadataDocument
{
    public required string Source { get; init; }
    public required string AgentStraceSessionId { get; init; }
    public double Threshold { get; init; }
    public bool Passed { get; init; }
    public string? Reason { get; init; }
}
