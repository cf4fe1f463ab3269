using AgentStrace.Capture.Redaction;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>Everything one hook call works with.</summary>
public sealed record HookContext(TraceStore Store, HookPayload Payload, HookEvent Event, string SessionId, Redactor Redactor, HookConfig Config, double Now)
{
    public string SessionDir => Store.SessionDir(SessionId);

    /// <summary>The agent whose hook this is (<c>claude-code</c>, <c>codex</c>, <c>gemini-cli</c>): the session's agent_name.</summary>
    public string Agent { get; init; } = AgentHooks.ClaudeCode;

    /// <summary>Set when the event comes from inside a sub-agent (Claude Code adds agent_id there).</summary>
    public bool FromSubagent => Payload.AgentId.Length > 0;
}
