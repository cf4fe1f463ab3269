using AgentStrace.Capture.Hooks;

namespace AgentStrace.Cli.Commands;

internal sealed class HookCommands
{
    /// <summary>Record one Claude Code hook event from its JSON payload on stdin (installed by 'setup'; always exits 0).</summary>
    /// <param name="eventName">SessionStart, UserPromptSubmit, PreToolUse, PostToolUse, PostToolUseFailure, Stop, SubagentStop, SessionEnd, PreCompact or Notification (upstream kebab names accepted).</param>
    public int Hook([ConsoleAppFramework.Argument] string eventName = "")
    {
        using Stream stdin = Console.OpenStandardInput();
        return HookRunner.Run(eventName, stdin, !Console.IsInputRedirected, Cli.TraceDir, Console.Error);
    }

    /// <summary><c>hook &lt;event&gt; [--trace-dir DIR]</c> without the command framework (it starts worker threads); help still goes through it.</summary>
    public static bool TryRunDirect(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length is < 2 or > 4 || args[0] != "hook" || args[1].StartsWith('-')) return false;
        if (args.Length == 4 && args[2] == "--trace-dir") Cli.TraceDir = args[3];
        else if (args.Length != 2) return false;
        using Stream stdin = Console.OpenStandardInput();
        exitCode = HookRunner.Run(args[1], stdin, !Console.IsInputRedirected, Cli.TraceDir, Console.Error);
        return true;
    }
}
