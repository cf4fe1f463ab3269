using AgentStrace.Store;

namespace AgentStrace.Doctor;

/// <summary>How a check came out: passed, found a problem (doctor exits 1), or nothing to check (not set up; no failure).</summary>
public enum CheckState { Ok, Fail, Skip }

/// <summary>One line of <c>doctor</c>: what was checked, what was found, and how to fix it when it failed.</summary>
public sealed record DoctorLine(string Check, CheckState State, string Message, string Fix = "");

/// <summary>Everything a check may look at: the store, this binary, the environment and the time, injectable for tests.</summary>
public sealed record DoctorContext
{
    public required TraceStore Store { get; init; }
    /// <summary>The running binary's path (what <c>setup</c> would write into the hooks).</summary>
    public required string ThisBinary { get; init; }
    public required string Version { get; init; }
    public Func<string, string?> Env { get; init; } = Environment.GetEnvironmentVariable;
    /// <summary><c>--endpoint</c>: the OTLP endpoint to probe instead of the configured one.</summary>
    public string? Endpoint { get; init; }
    /// <summary>How long a network probe may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>A check: zero or more lines (a check with nothing to look at may say so with <see cref="CheckState.Skip"/>).</summary>
public delegate Task<IEnumerable<DoctorLine>> DoctorCheckFn(DoctorContext context, CancellationToken cancellationToken);
