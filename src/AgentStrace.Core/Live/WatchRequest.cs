namespace AgentStrace.Live;

/// <summary><c>watch</c> flags as given on the command line.</summary>
public sealed record WatchRequest
{
    public string? SessionId { get; init; }
    public bool Status { get; init; }
    public bool Json { get; init; }
    public bool Quiet { get; init; }
    public double? ExitWhenIdle { get; init; }
    public double PollInterval { get; init; } = 0.5;

    public string? StreamTo { get; init; }
    public string? Protocol { get; init; }
    public IReadOnlyList<string> Headers { get; init; } = [];
    public string? Backend { get; init; }
    public string? ServiceName { get; init; }
    public double? Timeout { get; init; }
    public string Format { get; init; } = "otlp-genai";
    public string? Semconv { get; init; }
    public bool NoContent { get; init; }
    public int StreamBatchSize { get; init; } = 10;
    public double StreamFlushInterval { get; init; } = 5;
    public double SpoolMaxMb { get; init; } = 100;
    public double DrainTimeout { get; init; } = 10;

    public double? MaxCost { get; init; }
    public double? MaxDuration { get; init; }
    public int? MaxRetries { get; init; }
    public int? LoopThreshold { get; init; }
    public int LoopWindow { get; init; } = 10;
    public string OnViolation { get; init; } = "alert";
    public double KillGrace { get; init; } = 5;
    public bool DryRun { get; init; }
}
