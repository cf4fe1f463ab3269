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
}
