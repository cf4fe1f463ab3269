using AgentStrace.Live.Watchdog;
using AgentStrace.Otlp.Export;
using AgentStrace.Spans;

namespace AgentStrace.Live;

/// <summary>Everything <c>watch</c> was asked to do.</summary>
public sealed record WatchOptions
{
    /// <summary>Follow only this session (id or prefix) until it ends; null = every active session until stopped.</summary>
    public string? SessionId { get; init; }
    /// <summary>Stop after this long without new events in any followed session (and nothing left to send); null = never.</summary>
    public TimeSpan? ExitWhenIdle { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Print no per-event lines.</summary>
    public bool Quiet { get; init; }

    /// <summary>OTLP destination for <c>--stream-to</c>; null = no streaming.</summary>
    public OtlpFlags? Stream { get; init; }
    public SpanOptions Spans { get; init; } = new();
    public int BatchSize { get; init; } = 10;
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(5);
    public long SpoolCapBytes { get; init; } = 100L * 1024 * 1024;
    /// <summary>How long a stopping watch keeps trying to deliver what is spooled.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public WatchdogLimits Limits { get; init; } = new();
}
