namespace AgentStrace.Live.Watchdog;

/// <summary>What to do when a limit is crossed.</summary>
public enum ViolationAction
{
    /// <summary>Report on stderr and in <c>alerts.log</c>.</summary>
    Alert,
    /// <summary>Alert, then stop the agent (SIGTERM, SIGKILL after the grace period), write the postmortem and close the root span as ERROR.</summary>
    Kill,
}

/// <summary>The watchdog's limits (upstream's watch); null or 0 = off.</summary>
public sealed record WatchdogLimits
{
    /// <summary>Heuristic session cost in dollars (upstream's token/cost heuristic).</summary>
    public double? MaxCost { get; init; }
    /// <summary>Seconds since the session started.</summary>
    public double? MaxDuration { get; init; }
    /// <summary>Times the same Bash command may run; one more is a violation.</summary>
    public int? MaxRetries { get; init; }
    /// <summary>The same call (tool + arguments) this many times within the last <see cref="LoopWindow"/> events.</summary>
    public int? LoopThreshold { get; init; }
    public int LoopWindow { get; init; } = 10;
    public ViolationAction OnViolation { get; init; } = ViolationAction.Alert;
    /// <summary>Report what would be done, do nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>Seconds between SIGTERM and SIGKILL.</summary>
    public double KillGraceSeconds { get; init; } = 5;

    public bool Any => MaxCost > 0 || MaxDuration > 0 || MaxRetries > 0 || LoopThreshold > 0;
}

/// <summary>One crossed limit.</summary>
/// <param name="Key">Deduplication key: each violation fires once per session.</param>
public sealed record Violation(string Key, string Message);
