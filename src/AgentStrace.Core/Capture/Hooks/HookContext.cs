using AgentStrace.Capture.Redaction;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>Everything one hook call works with.</summary>
public sealed record HookContext(TraceStore Store, HookPayload Payload, HookEvent Event, string SessionId, Redactor Redactor, HookConfig Config, double Now)
{
    public string SessionDir => Store.SessionDir(SessionId);

    /// <summary>The sub-agent the event belongs to ("" for the main thread): the payload's agent_id unless the transcripts say otherwise.</summary>
    public string AgentId { get; init; } = Payload.AgentId;

    public string AgentType { get; init; } = Payload.AgentType;

    /// <summary>The spawning Agent call's tool_use_id when known (from the sub-agent's meta file).</summary>
    public string SpawnToolUseId { get; init; } = "";

    /// <summary>Set when the event comes from inside a sub-agent.</summary>
    public bool FromSubagent => AgentId.Length > 0;
}
