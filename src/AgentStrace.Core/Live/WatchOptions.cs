using AgentStrace.Live.Watchdog;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;

namespace AgentStrace.Live;

/// <summary>Everything <c>watch</c> was asked to do.</summary>
public sealed record WatchOptions
{
    // The defaults of the watch flags, declared once: the command's signature, WatchRequest and these options use them.
    public const double DefaultPollSeconds = 0.5;
    public const string DefaultFormat = "otlp-genai";
    public const int DefaultBatchSize = 10;
    public const double DefaultFlushSeconds = 5;
    public const double DefaultSpoolMaxMb = 100;
    public const double DefaultDrainSeconds = 10;
    public const int DefaultLoopWindow = 10;
    public const string DefaultOnViolation = "alert";
    public const double DefaultKillGraceSeconds = 5;

    /// <summary>Follow only this session (id or prefix) until it ends; null = every active session until stopped.</summary>
    public string? SessionId { get; init; }
    /// <summary>Stop after this long without new events in any followed session (and nothing left to send); null = never.</summary>
    public TimeSpan? ExitWhenIdle { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(DefaultPollSeconds);
    /// <summary>Print no per-event lines.</summary>
    public bool Quiet { get; init; }

    /// <summary>OTLP destination for <c>--stream-to</c>; null = no streaming.</summary>
    public OtlpFlags? Stream { get; init; }
    public SpanOptions Spans { get; init; } = new();
    public int BatchSize { get; init; } = DefaultBatchSize;
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(DefaultFlushSeconds);
    public long SpoolCapBytes { get; init; } = (long)(DefaultSpoolMaxMb * 1024 * 1024);
    /// <summary>How long a stopping watch keeps trying to deliver what is spooled.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(DefaultDrainSeconds);

    public WatchdogLimits Limits { get; init; } = new();
}
