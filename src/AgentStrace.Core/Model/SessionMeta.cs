using AgentStrace.Json;

namespace AgentStrace.Model;

/// <summary><c>meta.json</c> (upstream's meta.json). Keys this version does not know are kept in <see cref="Extra"/> and written back.</summary>
public sealed class SessionMeta
{
    public string SessionId { get; set; } = "";
    public double StartedAt { get; set; }
    public double? EndedAt { get; set; }
    public string AgentName { get; set; } = "";
    public string Command { get; set; } = "";
    public long ToolCalls { get; set; }
    public long LlmRequests { get; set; }
    public long Errors { get; set; }
    public long TotalTokens { get; set; }
    public double TotalDurationMs { get; set; }
    public string ParentSessionId { get; set; } = "";
    public string ParentEventId { get; set; } = "";
    public long Depth { get; set; }

    /// <summary>Raw JSON object, or null when absent.</summary>
    public RawJsonValue? Attribution { get; set; }

    /// <summary>Unknown keys in file order, with their raw JSON text.</summary>
    public List<KeyValuePair<string, byte[]>> Extra { get; } = [];

    /// <summary>Session end time, or the start plus the recorded duration.</summary>
    public double EffectiveEnd => EndedAt ?? StartedAt + TotalDurationMs / 1000.0;
}
