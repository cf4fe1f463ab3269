namespace AgentStrace.Model;

/// <summary>Unix time as float seconds, like Python's <c>time.time()</c>.</summary>
public static class Clock
{
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    public static DateTime ToUtc(double unixSeconds) => DateTime.UnixEpoch.AddTicks((long)(unixSeconds * TimeSpan.TicksPerSecond));

    public static double FromUtc(DateTime utc) => (utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
