using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Codex;

/// <summary>
/// A first, cheap pass over a rollout: its first session_meta, which duplicated views it holds (response items and
/// their event_msg echoes, token_usage_record next to token_count), the extended-history end events by call id, and
/// the spawn_agent outputs. Lines of kinds it does not need are told from their head and not parsed; what it keeps is
/// small per call and per prompt, never the texts (a failed call's output excepted, cut to what an error keeps).
/// </summary>
public sealed class CodexScan
{
    public string SessionId { get; private set; } = "";

    /// <summary>The payload of the first session_meta (or legacy head line), or empty.</summary>
    public RawJsonObject Meta { get; private set; } = RawJsonObject.Empty;
    public bool HasReasoningItems { get; private set; }
    public bool HasAssistantItems { get; private set; }
    public bool HasUsageRecords { get; private set; }

    private bool _metaSeen;

    // Hashes of the user_message texts (trimmed): only whether a user item repeats one is asked.
    private readonly NumberSet _userMessages = new();

    public bool IsUserMessage(string text) => _userMessages.Contains(Hash(text.AsSpan().Trim()));

    /// <summary>FNV-1a over the UTF-16 code units: 64 bits, so two different prompts of one file do not collide in practice.</summary>
    private static ulong Hash(ReadOnlySpan<char> text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text) h = (h ^ c) * 1099511628211UL;
        return h;
    }

    /// <summary>call_id → the extended end event (exec_command_end, patch_apply_end, mcp_tool_call_end, web_search_end).</summary>
    public Dictionary<string, CodexEnd> Ends { get; } = new(StringComparer.Ordinal);

    /// <summary>Child thread id → the spawn_agent call_id whose output named it.</summary>
    public Dictionary<string, string> Spawns { get; } = new(StringComparer.Ordinal);

    public static CodexScan Read(string path)
    {
        var scan = new CodexScan();
        var spawnCalls = new HashSet<string>(StringComparer.Ordinal);
        using var lines = new JsonlLines(path);
        while (lines.MoveNext())
        {
            if (scan.Skips(lines.Current.Span, spawnCalls.Count > 0)) continue;
            try { scan.Add(CodexLine.Parse(lines.Number, lines.Current), spawnCalls); }
            catch (Exception ex) when (CodexReader.IsBadJson(ex)) { }
        }
        return scan;
    }

    /// <summary>Whether the line is of a kind this pass has nothing to learn from (told from its head alone).</summary>
    private bool Skips(ReadOnlySpan<byte> line, bool spawned)
    {
        if (!CodexHead.TryRead(line, out ReadOnlySpan<byte> type, out ReadOnlySpan<byte> payload)) return false;
        if (type.SequenceEqual("session_meta"u8)) return _metaSeen;
        if (type.SequenceEqual("token_usage_record"u8)) return HasUsageRecords;
        if (type.SequenceEqual("response_item"u8))
        {
            return payload.SequenceEqual("reasoning"u8) ? HasReasoningItems
                : payload.SequenceEqual("message"u8) ? HasAssistantItems
                : payload.SequenceEqual("function_call_output"u8) ? !spawned
                : !payload.SequenceEqual("function_call"u8);
        }
        if (type.SequenceEqual("event_msg"u8))
        {
            return !(payload.SequenceEqual("user_message"u8) || payload.SequenceEqual("collab_agent_spawn_end"u8) || payload.SequenceEqual("exec_command_end"u8)
                || payload.SequenceEqual("patch_apply_end"u8) || payload.SequenceEqual("mcp_tool_call_end"u8) || payload.SequenceEqual("web_search_end"u8));
        }
        return true;
    }

    private void Add(CodexLine line, HashSet<string> spawnCalls)
    {
        RawJsonObject p = line.Payload;
        switch (line.Type)
        {
            case "session_meta" when !_metaSeen:
                _metaSeen = true;
                SessionId = p.GetString("id"u8) is { Length: > 0 } id ? id : p.GetString("session_id"u8);
                Meta = new RawJsonObject(p.Raw.ToArray());
                break;
            case "token_usage_record":
                HasUsageRecords = true;
                break;
            case "response_item":
                switch (line.PayloadType)
                {
                    case "reasoning": HasReasoningItems = true; break;
                    case "message" when p.GetString("role"u8) == "assistant": HasAssistantItems = true; break;
                    case "function_call" when p.GetString("name"u8) == "spawn_agent": spawnCalls.Add(p.GetString("call_id"u8)); break;
                    case "function_call_output" when spawnCalls.Contains(p.GetString("call_id"u8)):
                        string output = CodexOutput.Text(p.Get("output"u8));
                        if (output.StartsWith('{') && JsonlFile.IsObject(System.Text.Encoding.UTF8.GetBytes(output))
                            && new RawJsonObject(System.Text.Encoding.UTF8.GetBytes(output)).GetString("agent_id"u8) is { Length: > 0 } agent)
                        {
                            Spawns[agent] = p.GetString("call_id"u8);
                        }
                        break;
                }
                break;
            case "event_msg":
                string type = line.PayloadType;
                if (type == "user_message") _userMessages.Add(Hash(p.GetString("message"u8).AsSpan().Trim()));
                else if (type == "collab_agent_spawn_end" && p.GetString("new_thread_id"u8) is { Length: > 0 } child) Spawns.TryAdd(child, p.GetString("call_id"u8));
                else if (type is "exec_command_end" or "patch_apply_end" or "mcp_tool_call_end" or "web_search_end" && p.GetString("call_id"u8) is { Length: > 0 } call)
                {
                    Ends[call] = CodexEnd.From(type, p);
                }
                break;
        }
    }
}

/// <summary>What an extended-history end event adds to a tool result: exit code, failure, duration.</summary>
public sealed record CodexEnd(int? ExitCode, bool Failed, double? DurationMs, string Text)
{
    public static readonly CodexEnd None = new(null, false, null, "");

    public static CodexEnd From(string type, RawJsonObject p)
    {
        double? duration = Duration(p.Get("duration"u8));
        switch (type)
        {
            case "exec_command_end":
                int? exit = p.GetInt64("exit_code"u8) is long e ? (int)e : null;
                bool error = exit is not null and not 0;
                // Only a failure's output is shown (as its error, cut): keep no more of it than that cut reads.
                string output = error ? p.Get("aggregated_output"u8).GetStringHead(Redactor.ReadLimit(500), out _) : "";
                return new CodexEnd(exit, error, duration, output);
            case "patch_apply_end":
                return new CodexEnd(null, p.TryGet("success"u8, out RawJsonValue ok) && ok.Kind == System.Text.Json.JsonTokenType.False, duration, "");
            case "mcp_tool_call_end":
                RawJsonObject result = p.GetObject("result"u8);
                bool failed = result.TryGet("Err"u8, out _) || result.GetObject("Ok"u8).IsTruthy("isError"u8) || result.IsTruthy("isError"u8);
                return new CodexEnd(null, failed, duration, result.TryGet("Err"u8, out RawJsonValue err) ? err.ToString() : "");
            default:
                return new CodexEnd(null, false, duration, "");
        }
    }

    /// <summary>serde's Duration (<c>{"secs","nanos"}</c>), a number of milliseconds, or a "1.5s" string.</summary>
    private static double? Duration(RawJsonValue v)
    {
        if (v.IsObject)
        {
            RawJsonObject d = v.AsObject();
            if (d.GetDouble("secs"u8) is double secs) return secs * 1000 + (d.GetDouble("nanos"u8) ?? 0) / 1e6;
            return null;
        }
        if (v.TryGetDouble(out double ms)) return ms;
        string s = v.GetString();
        return s.EndsWith('s') && double.TryParse(s.AsSpan(0, s.Length - 1).TrimEnd('m'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double n)
            ? (s.EndsWith("ms", StringComparison.Ordinal) ? n : n * 1000) : null;
    }
}
