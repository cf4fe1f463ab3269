namespace AgentStrace.Model;

/// <summary>Unix time as float seconds, like Python's <c>time.time()</c>.</summary>
public static class Clock
{
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    /// <summary>The UTC time of <paramref name="unixSeconds"/>, clamped to DateTime's range (a meta.json may hold 1e20 or NaN).</summary>
    public static DateTime ToUtc(double unixSeconds)
    {
        double max = (DateTime.MaxValue - DateTime.UnixEpoch).TotalSeconds, min = (DateTime.MinValue - DateTime.UnixEpoch).TotalSeconds;
        if (double.IsNaN(unixSeconds)) return DateTime.UnixEpoch;
        if (unixSeconds >= max) return DateTime.MaxValue;
        if (unixSeconds <= min) return DateTime.MinValue;
        return DateTime.UnixEpoch.AddTicks((long)(unixSeconds * TimeSpan.TicksPerSecond));
    }

    public static double FromUtc(DateTime utc) => (utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
