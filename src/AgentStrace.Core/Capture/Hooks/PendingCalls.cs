using System.Buffers;
using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// <c>&lt;session&gt;/.pending-calls.json</c>: in-flight tool calls keyed by tool_call event id (upstream shape,
/// PR #150), so parallel calls of the same tool pair by <c>tool_use_id</c>. Read and written under the session lock.
/// </summary>
public sealed class PendingCalls
{
    private readonly string _path;

    private PendingCalls(string path, List<PendingCall> calls)
    {
        _path = path;
        Calls = calls;
    }

    public List<PendingCall> Calls { get; }

    public static PendingCalls Load(string sessionDir)
    {
        string path = Path.Combine(sessionDir, ".pending-calls.json");
        var calls = new List<PendingCall>();
        byte[]? bytes = SafeFile.TryReadAllBytes(path, 64 << 20);
        if (bytes is null) return new PendingCalls(path, calls);
        try
        {
            foreach (var (id, value) in new RawJsonObject(bytes).Properties())
            {
                RawJsonObject o = value.AsObject();
                calls.Add(new PendingCall
                {
                    EventId = id,
                    ToolName = o.GetString("tool_name"u8),
                    ToolUseId = o.GetString("tool_use_id"u8),
                    Timestamp = o.GetDouble("timestamp"u8) ?? 0,
                    SubagentType = o.GetString("subagent_type"u8),
                    AgentId = o.GetString("agent_id"u8),
                });
            }
        }
        catch (System.Text.Json.JsonException) { calls.Clear(); } // a corrupt state file only costs pairing
        return new PendingCalls(path, calls);
    }

    /// <summary>Removes and returns the call a result belongs to: same tool_use_id, else the oldest with the same tool name.</summary>
    public PendingCall? Take(string toolUseId, string toolName)
    {
        int i = toolUseId.Length > 0 ? Calls.FindIndex(c => c.ToolUseId == toolUseId) : -1;
        if (i < 0 && toolUseId.Length == 0) i = Calls.FindIndex(c => c.ToolName == toolName);
        if (i < 0) return null;
        PendingCall call = Calls[i];
        Calls.RemoveAt(i);
        return call;
    }

    public void Save()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        foreach (PendingCall c in Calls)
        {
            w.WritePropertyName(c.EventId);
            w.WriteStartObject();
            w.WriteString("tool_name", c.ToolName);
            w.WriteString("tool_use_id", c.ToolUseId);
            w.WriteNumber("timestamp", c.Timestamp);
            if (c.SubagentType.Length > 0) w.WriteString("subagent_type", c.SubagentType);
            if (c.AgentId.Length > 0) w.WriteString("agent_id", c.AgentId);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        // Rewritten on every tool call; a damaged file only costs pairing (Load), so it may be swapped rather than renamed.
        SafeFile.WriteSwapped(_path, buffer.WrittenSpan);
    }
}
