using System.Text;
using System.Text.RegularExpressions;
using ConsoleAppFramework;

namespace AgentStrace.Cli;

/// <summary>
/// The commands and their flags, read from the help the framework generates (so completion scripts and "did you
/// mean" always match the commands that exist): a fresh app is asked for <c>--help</c> with its output captured.
/// </summary>
internal static partial class HelpIndex
{
    /// <summary>Registers every command on an app; set by Program so the index sees the same commands.</summary>
    public static Action<ConsoleApp.ConsoleAppBuilder>? Register { get; set; }

    public static string Capture(params string[] words)
    {
        if (Register is null) return "";
        var sb = new StringBuilder();
        Action<string> log = ConsoleApp.Log;
        Action<string> logError = ConsoleApp.LogError;
        int exitCode = Environment.ExitCode;
        ConsoleApp.Log = s => sb.Append(s).Append('\n');
        ConsoleApp.LogError = _ => { };
        try
        {
            var app = ConsoleApp.Create();
            Register(app);
            app.Run([.. words, "--help"]);
        }
        finally
        {
            ConsoleApp.Log = log;
            ConsoleApp.LogError = logError;
            Environment.ExitCode = exitCode;
        }
        return sb.ToString();
    }

    /// <summary>Every command (<c>baseline check</c> with its space) and its one-line description.</summary>
    public static List<(string Name, string Description)> Commands()
    {
        var list = new List<(string, string)>();
        bool inCommands = false;
        foreach (string line in Capture().Split('\n'))
        {
            if (line.StartsWith("Commands:", StringComparison.Ordinal)) { inCommands = true; continue; }
            if (!inCommands) continue;
            if (line.Trim().Length == 0) break;
            Match m = CommandLine().Match(line);
            if (m.Success) list.Add((m.Groups[1].Value, FirstSentence(m.Groups[2].Value)));
        }
        return list;
    }

    /// <summary>A command's flags (long names, and short ones such as <c>-f</c>) with their descriptions.</summary>
    public static List<(string Flag, string Description)> Flags(string command)
    {
        var list = new List<(string, string)>();
        bool inOptions = false;
        foreach (string line in Capture(command.Split(' ')).Split('\n'))
        {
            if (line.StartsWith("Options:", StringComparison.Ordinal)) { inOptions = true; continue; }
            if (!inOptions || !line.StartsWith("  -", StringComparison.Ordinal)) continue;
            Match m = OptionLine().Match(line);
            if (!m.Success) continue;
            string description = FirstSentence(DefaultText().Replace(m.Groups[3].Value, static _ => ""));
            if (m.Groups[1].Success) list.Add((m.Groups[1].Value, description));
            list.Add((m.Groups[2].Value, description));
        }
        return list;
    }

    private static string FirstSentence(string s)
    {
        int examples = s.IndexOf(" Examples:", StringComparison.Ordinal);
        if (examples >= 0) s = s[..examples];
        return s.Trim();
    }

    [GeneratedRegex(@"^  (\S+(?: [a-z][a-z-]*)?)\s{2,}(.*)$")]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"^  (?:(-[A-Za-z]), )?(--[A-Za-z0-9-]+)(?: <[^>]+>)?\s+(.*)$")]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"\s*\[Default: [^\]]*\]")]
    private static partial Regex DefaultText();
}
