using System.Text;
using AgentStrace.Model;

namespace AgentStrace.Capture;

/// <summary>Deterministic ids for captured events, so re-importing a transcript never duplicates an event.</summary>
public static class CaptureIds
{
    /// <summary>The first 12 hex chars of SHA-256(<paramref name="key"/>): same shape as a random event id.</summary>
    public static string Event(string key) => Sha256.HashHex(Encoding.UTF8.GetBytes(key))[..12];

    public static string ToolCall(string toolUseId) => Event("tool_use:" + toolUseId);

    /// <summary>A path-safe id component: the value itself when it is short and safe, else a hash of it.</summary>
    public static string SafePart(string value, int max = 40)
    {
        if (value.Length > 0 && value.Length <= max && Ids.IsSafeSessionId(value)) return value;
        return Sha256.HashHex(Encoding.UTF8.GetBytes(value))[..16];
    }

    /// <summary>Session id of a Claude Code sub-agent: <c>agent-&lt;agentId&gt;-&lt;first 8 of parent&gt;</c> (prefixes of the parent stay unambiguous).</summary>
    public static string SubagentSession(string parentSessionId, string agentId)
    {
        string id = agentId.StartsWith("agent-", StringComparison.Ordinal) ? agentId["agent-".Length..] : agentId;
        string parent = parentSessionId.Length > 8 ? parentSessionId[..8] : parentSessionId;
        return "agent-" + SafePart(id) + "-" + SafePart(parent);
    }
}
