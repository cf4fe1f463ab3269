namespace AgentStrace.Langfuse;

/// <summary>The outcome of one Langfuse API call after retries.</summary>
public readonly record struct LangfuseApiResult
{
    public bool Ok { get; init; }
    /// <summary>The HTTP status; 0 when no response arrived.</summary>
    public int Status { get; init; }
    /// <summary>What went wrong, one line, secrets removed; empty on success.</summary>
    public string Message { get; init; }
    public bool Retryable { get; init; }
}
