namespace AgentStrace.Spans;

/// <summary>Time conversions exactly as upstream computes them in IEEE doubles.</summary>
public static class OtlpTime
{
    /// <summary><c>int(seconds * 1_000_000_000)</c>: double multiplication, then truncation.</summary>
    public static ulong Nanos(double seconds) => seconds <= 0 ? 0 : (ulong)(seconds * 1_000_000_000d);

    /// <summary><c>int(ms * 1_000_000)</c>; missing, zero or negative durations become 1 ms.</summary>
    public static long DurationNanos(double? durationMs)
    {
        if (durationMs is not double ms || ms <= 0 || double.IsNaN(ms)) return 1_000_000;
        long ns = (long)(ms * 1_000_000d);
        return ns <= 0 ? 1_000_000 : ns;
    }

    /// <summary>End = nanos(start + duration_ns / 1e9), computed in seconds as upstream does.</summary>
    public static ulong End(double startSeconds, double? durationMs) => Nanos(startSeconds + DurationNanos(durationMs) / 1e9);
}
