using AgentStrace.Errors;

namespace AgentStrace.Cli;

/// <summary>"Did you mean …" after an unknown command (the nearest word itself is <see cref="ChoiceWords.Nearest"/>).</summary>
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

    /// <summary>The hint after an unknown command: the nearest command, or the command a Python agent-strace user means.</summary>
    public static string ForCommand(string typed, IReadOnlyCollection<string> commands)
    {
        if (s_renamed.TryGetValue(typed, out string? renamed) && commands.Contains(renamed.Split(' ')[0])) return $" Did you mean 'agent-strace {renamed}'?";
        return ChoiceWords.Nearest(typed, commands) is string near ? $" Did you mean '{near}'?" : "";
    }
}
