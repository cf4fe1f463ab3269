using AgentStrace.Capture.Hooks;
using AgentStrace.FileSystem;

namespace AgentStrace.Cli.Commands;

internal sealed class HookCommands
{
    /// <summary>Record one Claude Code hook event from its JSON payload on stdin (installed by 'setup'; always exits 0).</summary>
    /// <param name="eventName">SessionStart, UserPromptSubmit, PreToolUse, PostToolUse, PostToolUseFailure, Stop, SubagentStop, SessionEnd, PreCompact or Notification (upstream kebab names accepted); Gemini CLI's own names with --agent gemini-cli.</param>
    /// <param name="agent">The agent sending the hook: claude-code (default), codex or gemini-cli.</param>
    public int Hook([ConsoleAppFramework.Argument] string eventName = "", string? agent = null, CancellationToken cancellationToken = default)
    {
        using Stream stdin = OperatingSystem.IsWindows() ? Console.OpenStandardInput() : new DescriptorInput(0);
        if (!AgentHooks.TryParseAgent(agent, out string name)) { Console.Error.WriteLine($"agent-strace: unknown --agent '{agent}' (claude-code, codex or gemini-cli)."); return 1; }
        return HookRunner.Run(eventName, stdin, !Console.IsInputRedirected, Cli.TraceDir, Console.Error, name, () => cancellationToken);
    }

    /// <summary><c>hook &lt;event&gt; [--trace-dir DIR]</c> without the command framework (it starts worker threads); help still goes through it.</summary>
    public static bool TryRunDirect(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length is < 2 or > 6 || args.Length % 2 != 0 || args[0] != "hook" || args[1].StartsWith('-')) return false;
        string agent = AgentHooks.ClaudeCode;
        for (int i = 2; i < args.Length; i += 2)
        {
            if (args[i] == "--trace-dir") Cli.TraceDir = args[i + 1];
            else if (args[i] != "--agent" || !AgentHooks.TryParseAgent(args[i + 1], out agent)) return false;
        }
        // On Unix the payload is read with poll/read on this thread: a timed read of the console stream starts threads.
        using Stream stdin = OperatingSystem.IsWindows() ? Console.OpenStandardInput() : new DescriptorInput(0);
        using var signals = new SignalToken();
        exitCode = HookRunner.Run(args[1], stdin, !Console.IsInputRedirected, Cli.TraceDir, Console.Error, agent, signals.Arm);
        return true;
    }
}
