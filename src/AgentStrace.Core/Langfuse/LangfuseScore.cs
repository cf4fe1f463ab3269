using AgentStrace.Analysis;

namespace AgentStrace.Langfuse;

/// <summary>One <c>POST /api/public/scores</c> body (Langfuse <c>CreateScoreRequest</c>), numeric.</summary>
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
}
