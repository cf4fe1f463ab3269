namespace AgentStrace.Capture.Hooks;

/// <summary>A tool call seen at PreToolUse whose PostToolUse has not arrived yet.</summary>
public sealed class PendingCall
{
    public required string EventId { get; init; }
    public string ToolName { get; init; } = "";
    public string ToolUseId { get; init; } = "";
    public double Timestamp { get; init; }
    public string SubagentType { get; init; } = "";

    /// <summary>The sub-agent linked to this Task/Agent call (claimed when the sub-agent's first hook arrives).</summary>
    public string AgentId { get; set; } = "";

    public bool SpawnsAgent => ToolName is "Task" or "Agent";
}
