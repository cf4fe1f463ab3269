namespace AgentStrace.Live;

/// <summary><c>watch</c> flags as given on the command line.</summary>
public sealed record WatchRequest
{
    public string? SessionId { get; init; }
    public bool Status { get; init; }
    public bool Json { get; init; }
    public bool Quiet { get; init; }
    public double? ExitWhenIdle { get; init; }
    public double PollInterval { get; init; } = WatchOptions.DefaultPollSeconds;

    public string? StreamTo { get; init; }
    public Otlp.Transport.OtlpProtocol? Protocol { get; init; }
    public IReadOnlyList<string> Headers { get; init; } = [];
    public Otlp.Transport.BackendPreset? Backend { get; init; }
    public string? ServiceName { get; init; }
    public double? Timeout { get; init; }
    public Spans.SpanFormat Format { get; init; } = Spans.SpanFormat.GenAi;
    /// <summary><c>--semconv</c>; null: from <c>OTEL_SEMCONV_STABILITY_OPT_IN</c>.</summary>
    public Spans.Semconv? Semconv { get; init; }
    public bool NoContent { get; init; }
    public int StreamBatchSize { get; init; } = WatchOptions.DefaultBatchSize;
    public double StreamFlushInterval { get; init; } = WatchOptions.DefaultFlushSeconds;
    public double SpoolMaxMb { get; init; } = WatchOptions.DefaultSpoolMaxMb;
    public double DrainTimeout { get; init; } = WatchOptions.DefaultDrainSeconds;

    public double? MaxCost { get; init; }
    public double? MaxDuration { get; init; }
    public int? MaxRetries { get; init; }
    public int? LoopThreshold { get; init; }
    public int LoopWindow { get; init; } = WatchOptions.DefaultLoopWindow;
    public Watchdog.ViolationAction OnViolation { get; init; } = Watchdog.ViolationAction.Alert;
    public double KillGrace { get; init; } = WatchOptions.DefaultKillGraceSeconds;
    public bool DryRun { get; init; }
}
