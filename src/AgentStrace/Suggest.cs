namespace AgentStrace.Cli;

/// <summary>"Did you mean …": the nearest known word to a mistyped command or flag.</summary>
internal static class Suggest
{
    /// <summary>Commands of the Python agent-strace that live under another name here.</summary>
    private static readonly Dictionary<string, string> s_renamed = new(StringComparer.Ordinal)
    {
        ["tree"] = "replay --tree",
        ["explain"] = "replay",
        ["show"] = "replay",
        ["timeline"] = "replay",
        ["share"] = "report --html",
        ["dashboard"] = "report --html --all",
        ["status"] = "doctor",
    };

    public static string? Nearest(string typed, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string k in known)
        {
            int d = Distance(typed, k);
            if (k.StartsWith(typed, StringComparison.Ordinal) && typed.Length >= 3) d = Math.Min(d, 1);
            if (d < bestDistance) { best = k; bestDistance = d; }
        }
        // Close enough to be a typo: at most 2 edits, and fewer than half the word.
        int limit = Math.Min(2, Math.Max(1, typed.Length / 2));
        return bestDistance <= limit ? best : null;
    }

    /// <summary>The hint after an unknown command: the nearest command, or the command a Python agent-strace user means.</summary>
    public static string ForCommand(string typed, IReadOnlyCollection<string> commands)
    {
        if (s_renamed.TryGetValue(typed, out string? renamed) && commands.Contains(renamed.Split(' ')[0])) return $" Did you mean 'agent-strace {renamed}'?";
        return Nearest(typed, commands) is string near ? $" Did you mean '{near}'?" : "";
    }

    /// <summary>Optimal string alignment distance (a swap of two letters counts as one edit).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
