using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Codex;

/// <summary>
/// One rollout line: <c>{"timestamp", ["ordinal",] "type", "payload"}</c>. Files written before September 2025 have
/// no envelope: a bare <c>{id, timestamp, instructions, git}</c> first line, bare response items and
/// <c>{"record_type":"state"}</c> lines; those are mapped onto the same kinds.
/// </summary>
public readonly struct CodexLine(long number, double time, string type, RawJsonObject payload)
{
    public long Number { get; } = number;
    public double Time { get; } = time;
    public string Type { get; } = type;
    public RawJsonObject Payload { get; } = payload;

    public string PayloadType => Payload.GetString("type"u8);

    /// <summary>Reads the line once: its properties and the payload's are indexed, so later lookups do not rescan it.</summary>
    /// <param name="nestedLevels">How deep object values are indexed (the payload is level 1).</param>
    public static CodexLine Parse(long number, ReadOnlyMemory<byte> raw, int nestedLevels = 1)
    {
        var reader = new System.Text.Json.Utf8JsonReader(raw.Span, PyJsonTranscoder.ReaderOptions);
        if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) throw new FormatException("not a JSON object");
        var obj = new RawJsonObject(raw, RawJsonObject.ReadSlots(ref reader, nestedLevels));
        double time = obj.TryGet("timestamp"u8, out RawJsonValue stamp) && stamp.IsString && !stamp.Escaped
            ? Agents.IsoTime.Parse(stamp.Raw.Span) : TranscriptReader.ParseTime(obj.GetString("timestamp"u8));
        if (obj.TryGet("payload"u8, out RawJsonValue payload) && payload.IsObject)
        {
            // GetObject keeps the payload's index (AsObject would drop it, and every lookup would scan the payload again).
            return new CodexLine(number, time, obj.GetString("type"u8), obj.GetObject("payload"u8));
        }
        if (obj.TryGet("record_type"u8, out _)) return new CodexLine(number, time, "legacy_state", obj);
        string type = obj.GetString("type"u8);
        if (type.Length == 0 && obj.GetString("id"u8).Length > 0) return new CodexLine(number, time, "session_meta", obj);
        return new CodexLine(number, time, type.Length > 0 && CodexKinds.IsResponseItem(type) ? "response_item" : type, obj);
    }
}

/// <summary>The line and payload types read from the head of an enveloped line, without parsing the rest.</summary>
public static class CodexHead
{
    /// <summary>
    /// The envelope's <c>type</c> and its payload's <c>type</c> when both come before anything else of the payload (as
    /// Codex writes them); false for any other shape (a legacy line), which the caller parses whole.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> lineType, out ReadOnlySpan<byte> payloadType) =>
        TryRead(line, out _, out lineType, out payloadType);

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out ReadOnlySpan{byte}, out ReadOnlySpan{byte})"/>, with the
    /// line's <c>timestamp</c> text when it comes before the payload unescaped (else empty).</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> timestamp, out ReadOnlySpan<byte> lineType, out ReadOnlySpan<byte> payloadType)
    {
        timestamp = lineType = payloadType = default;
        bool typed = false;
        try
        {
            var r = new System.Text.Json.Utf8JsonReader(line, PyJsonTranscoder.ReaderOptions);
            if (!r.Read() || r.TokenType != System.Text.Json.JsonTokenType.StartObject) return false;
            while (r.Read() && r.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                bool type = r.ValueTextEquals("type"u8), payload = !type && r.ValueTextEquals("payload"u8);
                bool stamp = !type && !payload && r.ValueTextEquals("timestamp"u8);
                r.Read();
                if (stamp && r.TokenType == System.Text.Json.JsonTokenType.String && !r.ValueIsEscaped)
                {
                    timestamp = line.Slice((int)r.TokenStartIndex + 1, r.ValueSpan.Length);
                }
                else if (type && r.TokenType == System.Text.Json.JsonTokenType.String && !r.ValueIsEscaped)
                {
                    lineType = line.Slice((int)r.TokenStartIndex + 1, r.ValueSpan.Length);
                    typed = true;
                }
                else if (payload)
                {
                    if (!typed || r.TokenType != System.Text.Json.JsonTokenType.StartObject || !r.Read()
                        || r.TokenType != System.Text.Json.JsonTokenType.PropertyName || !r.ValueTextEquals("type"u8) || !r.Read()
                        || r.TokenType != System.Text.Json.JsonTokenType.String || r.ValueIsEscaped) return false;
                    payloadType = line.Slice((int)r.TokenStartIndex + 1, r.ValueSpan.Length);
                    return true;
                }
                else r.Skip();
            }
        }
        catch (System.Text.Json.JsonException) { }
        return false;
    }
}

/// <summary>The record kinds of a rollout this reader knows (used or deliberately ignored); anything else is reported.</summary>
public static class CodexKinds
{
    private static readonly HashSet<string> s_lineTypes = new(StringComparer.Ordinal)
    {
        "session_meta", "turn_context", "response_item", "event_msg", "compacted", "token_usage_record", "legacy_state",
        "world_state", "inter_agent_communication", "inter_agent_communication_metadata", "retained_context",
        "security_risk_score", "realtime_item",
    };

    private static readonly HashSet<string> s_items = new(StringComparer.Ordinal)
    {
        "message", "reasoning", "function_call", "function_call_output", "custom_tool_call", "custom_tool_call_output",
        "local_shell_call", "web_search_call", "tool_search_call", "tool_search_output", "image_generation_call",
        "ghost_snapshot", "compaction", "compaction_summary",
    };

    private static readonly HashSet<string> s_events = new(StringComparer.Ordinal)
    {
        "user_message", "agent_message", "agent_reasoning", "agent_reasoning_raw_content", "token_count", "thread_name_updated",
        "context_compacted", "entered_review_mode", "exited_review_mode", "thread_rolled_back", "undo_completed", "turn_aborted",
        "task_started", "turn_started", "task_complete", "turn_complete", "image_generation_end", "item_completed", "error",
        "exec_command_end", "patch_apply_end", "mcp_tool_call_end", "web_search_end", "view_image_tool_call",
        "guardian_assessment", "collab_agent_spawn_end", "collab_agent_interaction_end", "collab_waiting_end",
        "collab_close_end", "collab_resume_end", "dynamic_tool_call_request", "dynamic_tool_call_response",
        "thread_settings_applied", "agent_reasoning_section_break", "plan_update",
    };

    public static bool IsLineType(string type) => s_lineTypes.Contains(type);

    public static bool IsResponseItem(string type) => s_items.Contains(type);

    public static bool IsEvent(string type) => s_events.Contains(type);
}
