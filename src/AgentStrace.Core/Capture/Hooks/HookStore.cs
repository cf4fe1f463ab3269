using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>Store helpers for hooks, where the caller already holds the session lock.</summary>
public static class HookStore
{
    public static SessionMeta UpdateMetaLocked(string sessionDir, Action<SessionMeta> change)
    {
        SessionMeta meta = MetaJson.Read(Path.Combine(sessionDir, "meta.json"));
        change(meta);
        TraceStore.WriteMeta(sessionDir, meta);
        return meta;
    }

    /// <summary>Store root for a hook: --trace-dir, AGENT_STRACE_DIR, AGENT_TRACE_DIR, else &lt;project&gt;/.agent-traces.</summary>
    /// <remarks>
    /// The project is <c>$CLAUDE_PROJECT_DIR</c> (stable for the whole session) when Claude Code sets it, else the
    /// payload's <c>cwd</c>, else the process's working directory. <c>cwd</c> follows <c>cd</c> and worktrees, so
    /// preferring the project dir keeps one session in one store.
    /// </remarks>
    public static string ResolveRoot(string? flag, string? payloadCwd)
    {
        string? project = Environment.GetEnvironmentVariable("CLAUDE_PROJECT_DIR") is { Length: > 0 } p && Path.IsPathRooted(p) ? p
            : payloadCwd is { Length: > 0 } && Path.IsPathRooted(payloadCwd) ? payloadCwd : null;
        return TraceStore.ResolveRoot(flag, project);
    }
}
