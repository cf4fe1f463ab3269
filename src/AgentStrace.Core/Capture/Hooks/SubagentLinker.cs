using System.Buffers;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Sub-agent sessions for hook capture. Events attributed to a sub-agent (<see cref="HookContext.AgentId"/>) go to a
/// child session <c>agent-&lt;agent_id&gt;-&lt;parent8&gt;</c> whose parent_event_id is the spawning Task/Agent
/// tool_call: exact when the Agent call's PostToolUse (tool_response.agentId) came first or the sub-agent's meta file
/// names the call's tool_use_id, else the oldest pending Task/Agent call of the same subagent_type, corrected when
/// that PostToolUse arrives.
/// </summary>
public static class SubagentLinker
{
    public static string Ensure(HookContext c)
    {
        string agentId = c.AgentId;
        string childId = CaptureIds.SubagentSession(c.SessionId, agentId);
        if (File.Exists(Path.Combine(c.Store.SessionDir(childId), "meta.json"))) return childId;
        string parentEvent;
        long depth;
        using (SessionLock.Acquire(c.SessionDir))
        {
            depth = MetaJson.Read(Path.Combine(c.SessionDir, "meta.json")).Depth + 1;
            parentEvent = Links(c.SessionDir).TryGetValue(agentId, out string? known) ? known : Claim(c.SessionDir, agentId, c.AgentType, c.SpawnToolUseId);
        }
        CaptureWriter.EnsureSession(c.Store, childId, () => new SessionMeta
        {
            StartedAt = c.Now, AgentName = c.Agent,
            Command = "claude-code subagent" + (c.AgentType.Length > 0 ? $" ({c.AgentType})" : ""),
            ParentSessionId = c.SessionId, ParentEventId = parentEvent, Depth = depth,
        }, out _);
        return childId;
    }

    /// <summary>At the Agent call's PostToolUse: remember agentId → call, and fix a child linked by a guess.</summary>
    public static void Record(HookContext c, string parentDir, string parentSessionId, string agentId, string callEventId)
    {
        Dictionary<string, string> links = Links(parentDir);
        links[agentId] = callEventId;
        var buffer = new ArrayBufferWriter<byte>(128);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        foreach (var (k, v) in links) w.WriteString(k, v);
        w.WriteEndObject();
        string path = Path.Combine(parentDir, ".subagents.json");
        SafeFile.WriteAtomic(path, buffer.WrittenSpan);
        string childDir = c.Store.SessionDir(CaptureIds.SubagentSession(parentSessionId, agentId));
        if (File.Exists(Path.Combine(childDir, "meta.json")))
        {
            TraceStore.UpdateMeta(childDir, m => m.ParentEventId = callEventId);
        }
    }

    private static Dictionary<string, string> Links(string dir)
    {
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        string path = Path.Combine(dir, ".subagents.json");
        try
        {
            if (SafeFile.TryReadAllBytes(path, 16 << 20) is not { } bytes) return links;
            foreach (var (k, v) in new RawJsonObject(bytes).Properties()) links[k] = v.GetString();
        }
        catch (System.Text.Json.JsonException) { links.Clear(); }
        return links;
    }

    private static string Claim(string parentDir, string agentId, string agentType, string spawnToolUseId)
    {
        PendingCalls pending = PendingCalls.Load(parentDir);
        PendingCall? call = pending.Calls.FirstOrDefault(p => p.SpawnsAgent && p.AgentId == agentId)
            ?? (spawnToolUseId.Length > 0 ? pending.Calls.FirstOrDefault(p => p.SpawnsAgent && p.ToolUseId == spawnToolUseId) : null)
            ?? pending.Calls.FirstOrDefault(p => p.SpawnsAgent && p.AgentId.Length == 0 && p.SubagentType == agentType)
            ?? pending.Calls.FirstOrDefault(p => p.SpawnsAgent && p.AgentId.Length == 0);
        if (call is null) return "";
        if (call.AgentId.Length == 0)
        {
            call.AgentId = agentId;
            pending.Save();
        }
        return call.EventId;
    }
}
