using System.Globalization;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// Upstream's <c>_iso</c>: <c>datetime.fromtimestamp(ts, UTC).isoformat()</c> with <c>+00:00</c> → <c>Z</c>;
/// microseconds rounded half-even as CPython does, omitted when zero; a falsy timestamp → null.
/// </summary>
internal static class PyTime
{
    public static string? Iso(double ts)
    {
        if (ts == 0 || !double.IsFinite(ts)) return null;
        double whole = Math.Floor(ts);
        double micros = Math.Round((ts - whole) * 1e6, MidpointRounding.ToEven);
        if (micros >= 1e6) { micros -= 1e6; whole += 1; }
        if (whole < -62135596800 || whole > 253402300799) return null;
        DateTime dt = DateTime.UnixEpoch.AddSeconds(whole);
        string s = dt.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        int us = (int)micros;
        return us == 0 ? s + "Z" : s + "." + us.ToString("D6", CultureInfo.InvariantCulture) + "Z";
    }
}
