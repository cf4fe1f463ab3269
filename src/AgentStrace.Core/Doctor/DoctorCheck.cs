using AgentStrace.Json.Documents;
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

/// <summary><c>doctor --format json</c>.</summary>
[JsonDocument]
public sealed partial class DoctorDocument
{
    public required bool Ok { get; init; }
    public required string Version { get; init; }
    public required List<DoctorCheckDocument> Checks { get; init; }

    public static DoctorDocument Of(List<DoctorLine> lines, string version)
    {
        var checks = new List<DoctorCheckDocument>(lines.Count);
        bool ok = true;
        foreach (DoctorLine l in lines)
        {
            ok &= l.State != CheckState.Fail;
            checks.Add(new DoctorCheckDocument
            {
                Check = l.Check,
                State = l.State switch { CheckState.Ok => "ok", CheckState.Fail => "fail", _ => "skip" },
                Message = l.Message,
                Fix = l.Fix.Length > 0 ? l.Fix : null,
            });
        }
        return new DoctorDocument { Ok = ok, Version = version, Checks = checks };
    }
}

/// <summary>One check of <c>doctor --format json</c>; <c>fix</c> only when there is one.</summary>
[JsonDocument]
public sealed partial class DoctorCheckDocument
{
    public required string Check { get; init; }
    public required string State { get; init; }
    public required string Message { get; init; }
    public string? Fix { get; init; }
}
