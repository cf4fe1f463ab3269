using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentStrace.Testing;

/// <summary>
/// Writes Claude Code transcripts in the shape of real 2.1.x files (envelope, one line per content block sharing
/// message.id/requestId with repeated usage, tool_result lines, sub-agent files with isSidechain/agentId, compaction
/// files, agent_progress mirrors). Hand-made: no third-party transcript is copied.
/// </summary>
public sealed class ClaudeTranscript(string sessionId, string cwd = "/home/dev/app", string agentId = "")
{
    private readonly List<string> _lines = [];
    private DateTime _time = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private string _parent = "";
    private int _n;

    public string SessionId { get; } = sessionId;
    public IReadOnlyList<string> Lines => _lines;

    public ClaudeTranscript At(DateTime utc)
    {
        _time = utc;
        return this;
    }

    public ClaudeTranscript Prompt(string text)
    {
        Add("user", w => { w.WriteStartObject("message"); w.WriteString("role", "user"); w.WriteString("content", text); w.WriteEndObject(); });
        return this;
    }

    /// <summary>
    /// One API response written as one line per block (text, then each tool_use), every line repeating the usage, the
    /// output count growing as a streaming snapshot would (the last line has the final count).
    /// </summary>
    public ClaudeTranscript Response(string messageId, string model, Usage usage, string text = "ok", params (string Id, string Name, string InputJson)[] tools)
    {
        string requestId = "req_" + messageId;
        var blocks = new List<Action<Utf8JsonWriter>> { w => { w.WriteStartObject(); w.WriteString("type", "text"); w.WriteString("text", text); w.WriteEndObject(); } };
        foreach (var t in tools)
        {
            blocks.Add(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "tool_use"); w.WriteString("id", t.Id); w.WriteString("name", t.Name);
                w.WritePropertyName("input"); w.WriteRawValue(t.InputJson);
                w.WriteEndObject();
            });
        }
        for (int i = 0; i < blocks.Count; i++)
        {
            long output = i == blocks.Count - 1 ? usage.Output : Math.Min(usage.Output, 1 + i);
            Action<Utf8JsonWriter> block = blocks[i];
            Add("assistant", w =>
            {
                w.WriteStartObject("message");
                w.WriteString("model", model); w.WriteString("id", messageId); w.WriteString("type", "message"); w.WriteString("role", "assistant");
                w.WriteStartArray("content"); block(w); w.WriteEndArray();
                w.WriteNull("stop_reason"); w.WriteNull("stop_sequence");
                usage.Write(w, output);
                w.WriteEndObject();
                w.WriteString("requestId", requestId);
            });
        }
        return this;
    }

    public ClaudeTranscript ToolResult(string toolUseId, string content, bool isError = false, string? agentIdResult = null)
    {
        Add("user", w =>
        {
            w.WriteStartObject("message"); w.WriteString("role", "user");
            w.WriteStartArray("content"); w.WriteStartObject();
            w.WriteString("tool_use_id", toolUseId); w.WriteString("type", "tool_result"); w.WriteString("content", content); w.WriteBoolean("is_error", isError);
            w.WriteEndObject(); w.WriteEndArray(); w.WriteEndObject();
            if (agentIdResult is not null)
            {
                w.WriteStartObject("toolUseResult"); w.WriteString("status", "completed"); w.WriteString("agentId", agentIdResult); w.WriteEndObject();
            }
        });
        return this;
    }

    /// <summary>A parent's <c>progress/agent_progress</c> line mirroring one sub-agent response line.</summary>
    public ClaudeTranscript Mirror(string subAgentId, string parentToolUseId, ClaudeTranscript subAgentLines, int lineIndex)
    {
        string inner = subAgentLines.Lines[lineIndex];
        Add("progress", w =>
        {
            w.WriteStartObject("data");
            w.WritePropertyName("message"); w.WriteRawValue(inner);
            w.WriteStartArray("normalizedMessages"); w.WriteEndArray();
            w.WriteString("type", "agent_progress"); w.WriteString("prompt", "sub-task"); w.WriteString("agentId", subAgentId);
            w.WriteEndObject();
            w.WriteString("toolUseID", "agent_msg_" + lineIndex); w.WriteString("parentToolUseID", parentToolUseId);
        });
        return this;
    }

    public ClaudeTranscript TurnDuration(double ms)
    {
        Add("system", w => { w.WriteString("subtype", "turn_duration"); w.WriteNumber("durationMs", ms); });
        return this;
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", _lines) + "\n");
    }

    public void Append(string path, int fromLine) => File.AppendAllText(path, string.Join("\n", _lines.Skip(fromLine)) + "\n");

    private void Add(string type, Action<Utf8JsonWriter> body)
    {
        string uuid = $"{SessionId[..Math.Min(8, SessionId.Length)]}-{agentId}-{++_n:D6}";
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (_parent.Length > 0) w.WriteString("parentUuid", _parent); else w.WriteNull("parentUuid");
            w.WriteBoolean("isSidechain", agentId.Length > 0);
            w.WriteString("userType", "external");
            w.WriteString("cwd", cwd);
            w.WriteString("sessionId", SessionId);
            w.WriteString("version", "2.1.39");
            w.WriteString("gitBranch", "main");
            if (agentId.Length > 0) w.WriteString("agentId", agentId);
            w.WriteString("type", type);
            body(w);
            w.WriteString("uuid", uuid);
            w.WriteString("timestamp", _time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        _lines.Add(Encoding.UTF8.GetString(ms.ToArray()));
        _parent = uuid;
        _time = _time.AddSeconds(2);
    }

    /// <summary>Anthropic usage as Claude Code stores it.</summary>
    public sealed record Usage(long Input, long Output, long Cache5m = 0, long Cache1h = 0, long CacheRead = 0)
    {
        public long WebSearches { get; init; } = -1;
        public string? Speed { get; init; }
        public string Geo { get; init; } = "not_available";
        public bool NoSplit { get; init; }
        public string Tier { get; init; } = "standard";

        public void Write(Utf8JsonWriter w, long output)
        {
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", Input);
            w.WriteNumber("cache_creation_input_tokens", Cache5m + Cache1h);
            w.WriteNumber("cache_read_input_tokens", CacheRead);
            if (!NoSplit)
            {
                w.WriteStartObject("cache_creation");
                w.WriteNumber("ephemeral_5m_input_tokens", Cache5m); w.WriteNumber("ephemeral_1h_input_tokens", Cache1h);
                w.WriteEndObject();
            }
            w.WriteNumber("output_tokens", output);
            if (WebSearches >= 0)
            {
                w.WriteStartObject("server_tool_use"); w.WriteNumber("web_search_requests", WebSearches); w.WriteNumber("web_fetch_requests", 0); w.WriteEndObject();
            }
            w.WriteString("service_tier", Tier);
            w.WriteString("inference_geo", Geo);
            if (Speed is not null) w.WriteString("speed", Speed);
            w.WriteEndObject();
        }
    }
}
