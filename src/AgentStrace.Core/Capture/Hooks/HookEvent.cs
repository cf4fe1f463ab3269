namespace AgentStrace.Capture.Hooks;

/// <summary>The Claude Code hook events agent-strace handles (see docs/capture.md).</summary>
public enum HookEvent
{
    SessionStart,
    UserPromptSubmit,
    PreToolUse,
    PostToolUse,
    PostToolUseFailure,
    Stop,
    SubagentStop,
    SessionEnd,
    PreCompact,
    Notification,
}

public static class HookEvents
{
    /// <summary>Events <c>setup</c> installs, in this order.</summary>
    public static readonly HookEvent[] All = Enum.GetValues<HookEvent>();

    /// <summary>Claude Code's event name, or an upstream (Python agent-strace) kebab alias.</summary>
    public static bool TryParse(string name, out HookEvent e)
    {
        e = name switch
        {
            "SessionStart" or "session-start" => HookEvent.SessionStart,
            "UserPromptSubmit" or "user-prompt" or "before-prompt" or "before-submit-prompt" => HookEvent.UserPromptSubmit,
            "PreToolUse" or "pre-tool" or "before-tool" or "before-tool-call" => HookEvent.PreToolUse,
            "PostToolUse" or "post-tool" or "after-tool" or "after-tool-call" => HookEvent.PostToolUse,
            "PostToolUseFailure" or "post-tool-failure" => HookEvent.PostToolUseFailure,
            "Stop" or "stop" or "after-agent" or "agent-stop" or "AgentStop" => HookEvent.Stop,
            "SubagentStop" or "subagent-stop" => HookEvent.SubagentStop,
            "SessionEnd" or "session-end" => HookEvent.SessionEnd,
            "PreCompact" or "pre-compact" => HookEvent.PreCompact,
            "Notification" or "notification" => HookEvent.Notification,
            _ => (HookEvent)(-1),
        };
        return (int)e >= 0;
    }

    public static bool IsToolEvent(HookEvent e) => e is HookEvent.PreToolUse or HookEvent.PostToolUse or HookEvent.PostToolUseFailure;

    public const string ValidNames = "SessionStart, UserPromptSubmit, PreToolUse, PostToolUse, PostToolUseFailure, Stop, SubagentStop, SessionEnd, PreCompact, Notification (or session-start, user-prompt, pre-tool, post-tool, post-tool-failure, stop, session-end)";
}
