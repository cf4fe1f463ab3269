using AgentStrace.Capture.Import.Agents;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Codex;

/// <summary>
/// A first, cheap pass over a rollout: which duplicated views it holds (response items and their event_msg echoes,
/// token_usage_record next to token_count), the extended-history end events by call id, and the spawn_agent outputs.
/// </summary>
public sealed class CodexScan
{
    public string SessionId { get; private set; } = "";
    public bool HasReasoningItems { get; private set; }
    public bool HasAssistantItems { get; private set; }
    public bool HasUsageRecords { get; private set; }
    public HashSet<string> UserMessages { get; } = new(StringComparer.Ordinal);

    /// <summary>call_id → the extended end event (exec_command_end, patch_apply_end, mcp_tool_call_end, web_search_end).</summary>
    public Dictionary<string, CodexEnd> Ends { get; } = new(StringComparer.Ordinal);

    /// <summary>Child thread id → the spawn_agent call_id whose output named it.</summary>
    public Dictionary<string, string> Spawns { get; } = new(StringComparer.Ordinal);

    public static CodexScan Read(string path)
    {
        var scan = new CodexScan();
        var spawnCalls = new HashSet<string>(StringComparer.Ordinal);
        JsonlFile.ForEach(path, (number, raw) =>
        {
            try { scan.Add(CodexLine.Parse(number, raw), spawnCalls); }
            catch (Exception ex) when (CodexReader.IsBadJson(ex)) { }
        });
        return scan;
    }

    private void Add(CodexLine line, HashSet<string> spawnCalls)
    {
        RawJsonObject p = line.Payload;
        switch (line.Type)
        {
            case "session_meta" when SessionId.Length == 0:
                SessionId = p.GetString("id"u8) is { Length: > 0 } id ? id : p.GetString("session_id"u8);
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
                if (type == "user_message") UserMessages.Add(p.GetString("message"u8).Trim());
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
                return new CodexEnd(exit, exit is not null and not 0, duration, p.GetString("aggregated_output"u8));
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
