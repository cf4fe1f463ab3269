using AgentStrace.Errors;
using AgentStrace.Store;

namespace AgentStrace.Cli;

internal sealed record GlobalOptions(string TraceDir);

/// <summary>Process-wide CLI state: the resolved global options and the exit code mapping.</summary>
internal static class Cli
{
    private static bool s_parseError;

    public static string? TraceDir { get; set; }

    /// <summary>Every <c>--header</c>/<c>-H</c> value, in order (the parser takes each flag once, so they are collected first).</summary>
    public static List<string> Headers { get; } = [];

    /// <summary>Removes repeatable <c>--header V</c>, <c>--header=V</c> and <c>-H V</c> pairs into <see cref="Headers"/>.</summary>
    public static string[] TakeRepeatedHeaders(string[] args)
    {
        var rest = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--") { rest.AddRange(args[i..]); break; }
            if ((args[i] is "--header" or "-H") && i + 1 < args.Length) { Headers.Add(args[++i]); continue; }
            if (args[i].StartsWith("--header=", StringComparison.Ordinal)) { Headers.Add(args[i]["--header=".Length..]); continue; }
            rest.Add(args[i]);
        }
        return rest.ToArray();
    }

    public static TraceStore OpenStore() => TraceStore.Open(TraceDir);

    /// <summary>Everything after the first <c>--</c> (the child command of <c>record</c>), untouched by the parser.</summary>
    public static string[] Tail { get; private set; } = [];

    /// <summary>Splits off the arguments after <c>--</c> so ConsoleAppFramework never sees the child's flags.</summary>
    public static string[] TakeTail(string[] args)
    {
        int i = Array.IndexOf(args, "--");
        if (i < 0) return args;
        Tail = args[(i + 1)..];
        return args[..i];
    }

    /// <summary>ConsoleAppFramework reports bad flags and unknown commands here; they are usage errors (exit 2).</summary>
    public static void ReportParseError(string message)
    {
        s_parseError = true;
        string first = message.Split('\n', 2)[0].TrimEnd();
        Console.Error.WriteLine(Output.Text.Diagnostic(first));
        if (message.Contains("   at ", StringComparison.Ordinal)) Console.Error.WriteLine(message);
    }

    public static int FinalExitCode()
    {
        if (s_parseError && Environment.ExitCode == 1) Environment.ExitCode = ExitCodes.Usage;
        return Environment.ExitCode;
    }

    /// <summary>Consumes <c>--trace-dir DIR</c> / <c>--trace-dir=DIR</c> given before the command.</summary>
    public static string[] TakeLeadingGlobals(string[] args)
    {
        int i = 0;
        while (i < args.Length)
        {
            if (args[i] == "--trace-dir" && i + 1 < args.Length) { TraceDir = args[i + 1]; i += 2; }
            else if (args[i].StartsWith("--trace-dir=", StringComparison.Ordinal)) { TraceDir = args[i]["--trace-dir=".Length..]; i++; }
            else break;
        }
        return i == 0 ? args : args[i..];
    }

    /// <summary>An unknown first word is a usage error (exit 2), not a silent help screen.</summary>
    public static bool RejectUnknownCommand(string[] args, string[] commands)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || Array.IndexOf(commands, args[0]) >= 0) return false;
        Error($"unknown command '{args[0]}'. Run 'agent-strace --help' to see the commands.");
        Environment.ExitCode = ExitCodes.Usage;
        return true;
    }

    public static void Error(string message) => Console.Error.WriteLine("agent-strace: " + message);
}
