using System.Globalization;
using AgentStrace.Errors;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>
/// Parses <c>--since</c>/<c>--until</c>: a relative age (<c>30s</c>, <c>15m</c>, <c>24h</c>, <c>7d</c>, <c>2w</c>, or a bare
/// number of days as upstream's <c>--since 7</c>), an ISO-8601 date or time (a date alone is UTC midnight; a time
/// without offset is UTC), or Unix epoch seconds.
/// </summary>
public static class TimeBound
{
    public static double? ParseOptional(string? text, string flag, double? now = null) =>
        string.IsNullOrWhiteSpace(text) ? null : Parse(text, flag, now ?? Clock.Now());

    public static double Parse(string text, string flag, double now)
    {
        string t = text.Trim();
        if (t.Length >= 2 && char.IsAsciiLetter(t[^1]) && double.TryParse(t.AsSpan(0, t.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0)
        {
            double unit = char.ToLowerInvariant(t[^1]) switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => -1 };
            if (unit > 0) return now - n * unit;
        }
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            // A bare small number is days (upstream's "--since 7"); a large one is epoch seconds.
            return number < 100_000 ? now - number * 86400 : number;
        }
        if (DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime dt))
        {
            return Clock.FromUtc(dt);
        }
        throw new AgentStraceException($"{flag} '{text}' is not a time: use a relative age like 7d, 24h or 30m, an ISO date like 2026-01-31, or epoch seconds.");
    }
}
