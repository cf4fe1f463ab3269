using AgentStrace.Errors;
using AgentStrace.Store;

namespace AgentStrace.Cli;

internal sealed record GlobalOptions(string TraceDir);

/// <summary>Process-wide CLI state: the resolved global options and the exit code mapping.</summary>
internal static partial class Cli
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

    /// <summary>
    /// The store of a command: a directory, or nothing yet. A FIFO, device or file given as the store is one line (exit 2)
    /// instead of an empty listing that looks like a store without sessions.
    /// </summary>
    public static TraceStore OpenStore()
    {
        TraceStore store = TraceStore.Open(TraceDir);
        if (File.Exists(store.Root))
        {
            FileSystem.FileKind kind = FileSystem.SafeFile.KindOf(store.Root);
            string what = kind == FileSystem.FileKind.SymbolicLink ? "a link to a file" : FileSystem.UnsafeFileException.Describe(kind) is "a special file" ? "a file" : FileSystem.UnsafeFileException.Describe(kind);
            throw new AgentStraceException($"The store {store.DisplayRoot} is {what}, not a directory: pass --trace-dir DIR (or set AGENT_STRACE_DIR) to a directory.");
        }
        return store;
    }

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

    /// <summary>The command words of this run (<c>baseline check</c>), for hints after a parse error.</summary>
    public static string Command { get; set; } = "";

    /// <summary>
    /// ConsoleAppFramework reports bad flags and unknown commands here; they are usage errors (exit 2). Its messages
    /// are reworded for the user: an unknown flag names the nearest one, a flag without its value says so.
    /// </summary>
    public static void ReportParseError(string message)
    {
        s_parseError = true;
        string first = message.Split('\n', 2)[0].TrimEnd();
        Console.Error.WriteLine(Output.Text.Diagnostic(Reword(first)));
    }

    private static string Reword(string message)
    {
        string help = Command.Length > 0 ? $"agent-strace {Command} --help" : "agent-strace --help";
        var unknown = UnknownArgument().Match(message);
        if (unknown.Success)
        {
            string flag = unknown.Groups[1].Value;
            if (!flag.StartsWith('-')) return $"unexpected argument '{flag}'{(Command.Length > 0 ? " for " + Command : "")}. See '{help}'.";
            var flags = HelpIndex.Flags(Command).Select(f => f.Flag).Append("--trace-dir").Append("--help");
            string? near = ChoiceWords.Nearest(flag.Split('=')[0], flags);
            return $"unknown option '{flag}'{(Command.Length > 0 ? " for " + Command : "")}.{(near is null ? "" : $" Did you mean '{near}'?")} See '{help}'.";
        }
        var parse = FailedToParse().Match(message);
        if (parse.Success)
        {
            string flag = "--" + Kebab(parse.Groups[1].Value.TrimStart('-'));
            string value = parse.Groups[2].Value;
            return value.Length == 0 || value.StartsWith("--", StringComparison.Ordinal)
                ? $"{flag} needs a value. See '{help}'."
                : $"{flag}: '{value}' is not a valid value. See '{help}'.";
        }
        var required = RequiredArgument().Match(message);
        if (required.Success) return $"missing argument <{required.Groups[1].Value}>. See '{help}'.";
        return message;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Argument '(.*)' is not recognized\.$")]
    private static partial System.Text.RegularExpressions.Regex UnknownArgument();

    [System.Text.RegularExpressions.GeneratedRegex(@"^Argument '(.*)' failed to parse, provided value: (.*)$")]
    private static partial System.Text.RegularExpressions.Regex FailedToParse();

    [System.Text.RegularExpressions.GeneratedRegex(@"^Required argument '(.*)' was not specified\.$")]
    private static partial System.Text.RegularExpressions.Regex RequiredArgument();

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

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

    /// <summary><c>help</c> and <c>help &lt;command&gt;</c> as the conventional spellings of <c>--help</c>.</summary>
    public static string[] HelpAlias(string[] args) =>
        args.Length > 0 && args[0] == "help" ? [.. args[1..], "--help"] : args;

    /// <summary>An unknown first word is a usage error (exit 2), not a silent help screen.</summary>
    public static bool RejectUnknownCommand(string[] args, string[] commands)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || Array.IndexOf(commands, args[0]) >= 0) return false;
        Error($"unknown command '{args[0]}'.{Suggest.ForCommand(args[0], commands)} Run 'agent-strace --help' to see the commands.");
        Environment.ExitCode = ExitCodes.Usage;
        return true;
    }

    public static void Error(string message) => Console.Error.WriteLine("agent-strace: " + message);

    /// <summary>
    /// One line for an exception no command handled, and its exit code: a user error keeps its own code, a failed
    /// read or write (a full disk on stdout) is an I/O error (74), a closed pipe (<c>| head</c>) ends quietly, and
    /// anything else is a bug, reported as <c>internal error</c> (70) without a stack trace.
    /// </summary>
    public static int Fail(Exception ex)
    {
        try
        {
            switch (ex)
            {
                case AgentStraceException known:
                    Error(known.Message);
                    return known.ExitCode;
                case IOException io when io.HResult == 32 || io.Message.Contains("Broken pipe", StringComparison.Ordinal):
                    return ExitCodes.Io;
                case IOException or UnauthorizedAccessException:
                    Error("I/O error: " + OneLine(ex.Message));
                    return ExitCodes.Io;
                default:
                    Error("internal error: " + ex.GetType().Name + ": " + OneLine(ex.Message) + " (please report this)");
                    return ExitCodes.Internal;
            }
        }
        catch (Exception)
        {
            return ExitCodes.Internal; // stderr itself is gone
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
