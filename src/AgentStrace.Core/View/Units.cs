using System.Globalization;

namespace AgentStrace.View;

/// <summary>How views print numbers: short durations, k/M token counts, dollars, thousands separators.</summary>
public static class Units
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>An offset from the session start: <c>+4.010s</c>, <c>+2m05.3s</c>, <c>+1h02m05s</c>.</summary>
    public static string Offset(double seconds)
    {
        if (seconds < 100) return "+" + seconds.ToString("0.000", s_inv) + "s";
        if (seconds < 3600) return "+" + ((int)(seconds / 60)).ToString(s_inv) + "m" + (seconds % 60).ToString("00.0", s_inv) + "s";
        return "+" + ((int)(seconds / 3600)).ToString(s_inv) + "h" + ((int)(seconds % 3600 / 60)).ToString("00", s_inv) + "m" + ((int)(seconds % 60)).ToString("00", s_inv) + "s";
    }

    /// <summary>A duration: <c>48ms</c>, <c>3.35s</c>, <c>2m05s</c>, <c>1h02m</c>.</summary>
    public static string Duration(double ms)
    {
        if (ms < 1000) return ms.ToString("0", s_inv) + "ms";
        double s = ms / 1000;
        if (s < 60) return s.ToString(s < 10 ? "0.00" : "0.0", s_inv) + "s";
        if (s < 3600) return ((int)(s / 60)).ToString(s_inv) + "m" + ((int)(s % 60)).ToString("00", s_inv) + "s";
        return ((int)(s / 3600)).ToString(s_inv) + "h" + ((int)(s % 3600 / 60)).ToString("00", s_inv) + "m";
    }

    /// <summary>A token count: <c>238</c>, <c>23.3k</c>, <c>1.25M</c>.</summary>
    public static string Tokens(long n) => n switch
    {
        < 1000 => n.ToString(s_inv),
        < 100_000 => (n / 1000.0).ToString("0.0", s_inv) + "k",
        < 1_000_000 => (n / 1000.0).ToString("0", s_inv) + "k",
        _ => (n / 1e6).ToString("0.00", s_inv) + "M",
    };

    /// <summary>Dollars: four decimals under $10 (per-call figures are cents), two above.</summary>
    public static string Usd(double usd) => "$" + usd.ToString(Math.Abs(usd) < 10 ? "0.0000" : "#,0.00", s_inv);

    /// <summary>An integer with thousands separators.</summary>
    public static string Count(long n) => n.ToString("#,0", s_inv);

    public static string Percent(double ratio) => (ratio * 100).ToString("0.0", s_inv) + "%";

    public static string Plural(long n, string one, string many) => n == 1 ? $"{n} {one}" : $"{Count(n)} {many}";
}
