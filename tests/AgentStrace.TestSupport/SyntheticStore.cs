using System.Globalization;
using System.Text;

namespace AgentStrace.Testing;

/// <summary>Writes small synthetic sessions (meta.json + events.ndjson) with known usage for cost, metrics and baseline tests.</summary>
public static class SyntheticStore
{
    /// <summary>
    /// One ended session: <paramref name="toolCalls"/> Bash calls with results, <paramref name="errors"/> error events and
    /// one model call with Anthropic-shaped usage on <paramref name="model"/>.
    /// </summary>
    public static void AddSession(string root, string id, double startedAt, string agent = "claude-code", string model = "claude-sonnet-4-6",
        int toolCalls = 10, int errors = 0, long inputTokens = 10_000, long outputTokens = 1_000, double durationS = 60,
        long cacheRead = 0, long cacheWrite = 0)
    {
        string dir = Path.Combine(root, id);
        Directory.CreateDirectory(dir);
        var events = new StringBuilder();
        int n = 0;
        double t = startedAt;
        void Add(string type, string data, string parent = "", double? durationMs = null)
        {
            string eid = $"{id[..Math.Min(4, id.Length)]}{n++:x8}";
            events.Append(CultureInfo.InvariantCulture, $"{{\"event_type\":\"{type}\",\"timestamp\":{Num(t)},\"event_id\":\"{eid}\",\"session_id\":\"{id}\"");
            if (parent.Length > 0) events.Append(CultureInfo.InvariantCulture, $",\"parent_id\":\"{parent}\"");
            if (durationMs is { } d) events.Append(CultureInfo.InvariantCulture, $",\"duration_ms\":{Num(d)}");
            events.Append(CultureInfo.InvariantCulture, $",\"data\":{data}}}\n");
            t += durationS / (toolCalls * 2 + errors + 4);
        }
        Add("session_start", $"{{\"agent_name\":\"{agent}\",\"model\":\"{model}\"}}");
        string requestId = $"{id[..Math.Min(4, id.Length)]}{n:x8}";
        Add("llm_request", $"{{\"model\":\"{model}\"}}");
        Add("llm_response", $"{{\"model\":\"{model}\",\"usage\":{{\"input_tokens\":{inputTokens},\"cache_read_input_tokens\":{cacheRead},\"cache_creation_input_tokens\":{cacheWrite},\"output_tokens\":{outputTokens}}}}}", requestId, 1500);
        for (int i = 0; i < toolCalls; i++)
        {
            string callId = $"{id[..Math.Min(4, id.Length)]}{n:x8}";
            Add("tool_call", $"{{\"tool_name\":\"{(i % 2 == 0 ? "Read" : "Bash")}\",\"arguments\":{{\"command\":\"step {i}\"}}}}");
            Add("tool_result", "{\"content_preview\":\"ok\"}", callId, 20);
        }
        for (int i = 0; i < errors; i++) Add("error", "{\"message\":\"failed\"}");
        Add("session_end", "{}");
        File.WriteAllText(Path.Combine(dir, "events.ndjson"), events.ToString());
        File.WriteAllText(Path.Combine(dir, "meta.json"), string.Create(CultureInfo.InvariantCulture,
            $"{{\"session_id\": \"{id}\", \"started_at\": {Num(startedAt)}, \"ended_at\": {Num(startedAt + durationS)}, \"agent_name\": \"{agent}\", \"tool_calls\": {toolCalls}, \"llm_requests\": 1, \"errors\": {errors}, \"total_tokens\": {inputTokens + outputTokens}, \"total_duration_ms\": {Num(durationS * 1000)}}}"));
    }

    /// <summary>A history of <paramref name="count"/> similar sessions (small deterministic variation), ids <c>hist-00</c>…</summary>
    public static void AddHistory(string root, int count, double firstStart, string agent = "claude-code", string model = "claude-sonnet-4-6")
    {
        for (int i = 0; i < count; i++)
        {
            int v = (i * 7) % 5 - 2; // -2..2
            AddSession(root, $"hist-{i:00}", firstStart + i * 3600, agent, model, toolCalls: 10 + v, errors: i % 4 == 0 ? 1 : 0,
                inputTokens: 10_000 + v * 500, outputTokens: 1_000 + v * 50, durationS: 60 + v * 3);
        }
    }

    /// <summary>
    /// One big hash-chained session (<paramref name="toolCalls"/> Bash calls and results, ~300 bytes an event), written
    /// straight to disk: long enough that an export of it is still running when a test signals it.
    /// </summary>
    public static void AddLongSession(string root, string id, int toolCalls, double startedAt = 1790000000)
    {
        string dir = Path.Combine(root, id);
        Directory.CreateDirectory(dir);
        double t = startedAt;
        string prev = "";
        using (var file = new StreamWriter(Path.Combine(dir, "events.ndjson"), false, new UTF8Encoding(false), 1 << 20))
        {
            var line = new StringBuilder(512);
            void Emit(string type, string eventId, string parent, string data)
            {
                line.Clear().Append(CultureInfo.InvariantCulture, $"{{\"event_type\":\"{type}\",\"timestamp\":{Num(t)},\"event_id\":\"{eventId}\",\"session_id\":\"{id}\"");
                if (parent.Length > 0) line.Append(CultureInfo.InvariantCulture, $",\"parent_id\":\"{parent}\",\"duration_ms\":10.5");
                line.Append(",\"data\":").Append(data);
                if (prev.Length > 0) line.Append(",\"prev_hash\":\"").Append(prev).Append('"');
                line.Append('}');
                string text = line.ToString();
                prev = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
                file.Write(text);
                file.Write('\n');
                t += 0.01;
            }
            Emit("session_start", "s00000000000", "", "{\"agent_name\":\"claude-code\",\"model\":\"claude-sonnet-4-6\"}");
            for (int i = 0; i < toolCalls; i++)
            {
                string call = $"c{i:x11}";
                Emit("tool_call", call, "", $"{{\"tool_name\":\"Bash\",\"arguments\":{{\"command\":\"echo step {i}: padding so that every event is a realistic size\"}}}}");
                Emit("tool_result", $"r{i:x11}", call, $"{{\"content_preview\":\"step {i} done\"}}");
            }
            Emit("session_end", "e00000000000", "", "{}");
        }
        File.WriteAllText(Path.Combine(dir, "meta.json"), string.Create(CultureInfo.InvariantCulture,
            $"{{\"session_id\": \"{id}\", \"started_at\": {Num(startedAt)}, \"ended_at\": {Num(t)}, \"agent_name\": \"claude-code\", \"tool_calls\": {toolCalls}, \"llm_requests\": 0, \"errors\": 0}}"));
    }

    private static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
