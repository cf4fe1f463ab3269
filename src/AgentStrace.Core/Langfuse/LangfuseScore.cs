using AgentStrace.Analysis;

namespace AgentStrace.Langfuse;

/// <summary>One Langfuse score (the body of a <c>score-create</c> ingestion event): numeric, or boolean (0/1) for pass/fail.</summary>
public sealed record LangfuseScore
{
    public required string Id { get; init; }
    public required string TraceId { get; init; }
    /// <summary>Set for a sub-agent session: its root span inside the parent's trace.</summary>
    public string? ObservationId { get; init; }
    public required string Name { get; init; }
    public required double Value { get; init; }
    public string Comment { get; init; } = "";
    public required EvalScore Source { get; init; }
    public required string SessionId { get; init; }
    /// <summary>NUMERIC, or BOOLEAN for a pass/fail verdict (value 0 or 1).</summary>
    public string DataType { get; init; } = "NUMERIC";
    /// <summary>The Langfuse environment the trace went to; empty for Langfuse's default.</summary>
    public string Environment { get; init; } = "";
    /// <summary>
    /// When the score is dated (unix seconds): the scored session's start, so every re-export sends the same time.
    /// Langfuse keys a score's row by its day as well as its id; a run-time stamp made a re-export on a later day a
    /// second row.
    /// </summary>
    public double Timestamp { get; init; }
    /// <summary>Where the score comes from, for its metadata.</summary>
    public string Origin { get; init; } = "agent-strace eval.json";
}
