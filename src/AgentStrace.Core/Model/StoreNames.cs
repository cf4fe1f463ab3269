namespace AgentStrace.Model;

/// <summary>
/// Names the store uses for itself at its top level. None can ever be a session directory, and listings skip them.
/// Hidden names (leading <c>.</c>: <c>.spool</c>, <c>.active-session</c>, lock, spill and temp files) are reserved as a
/// class, and so is every name ending in an extension the store writes, so files added later stay reserved too.
/// </summary>
public static class StoreNames
{
    public const string Config = "config.json";
    public const string HookErrors = "hook-errors.log";
    public const string Baseline = "baseline.json";
    public const string Pricing = "pricing.json";
    public const string Alerts = "alerts.log";
    public const string ActiveSession = ".active-session";
    public const string Spool = ".spool";

    private static readonly string[] s_extensions = [".json", ".log", ".tmp", ".lock", ".md", ".bin", ".ndjson"];

    public static bool IsReserved(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name[0] == '.') return true;
        foreach (string ext in s_extensions)
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
