using System.Buffers;
using System.Text.Json;

namespace AgentStrace.View;

/// <summary><c>replay --format json</c>: the session, its steps (sub-agents nested under their tool call) and the totals.</summary>
public static class TimelineJson
{
    public static void Write(SessionTimeline root, ReplayOptions options, IBufferWriter<byte> output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        WriteSession(w, root, options);
        ReplayTotals t = ReplayTotals.Of(root);
        w.WriteStartObject("totals");
        w.WriteNumber("duration_s", Math.Round(t.DurationSeconds, 3));
        w.WriteNumber("steps", t.Steps);
        w.WriteNumber("tool_calls", t.ToolCalls);
        w.WriteNumber("model_calls", t.ModelCalls);
        w.WriteNumber("errors", t.Errors);
        w.WriteNumber("subagents", t.Subagents);
        w.WriteNumber("input_tokens", t.InputTokens);
        w.WriteNumber("output_tokens", t.OutputTokens);
        w.WriteNumber("cache_read_tokens", t.CacheReadTokens);
        w.WriteNumber("cache_write_tokens", t.CacheWriteTokens);
        w.WriteNumber("cost_usd", Math.Round(t.CostUsd, 6));
        w.WriteBoolean("cost_estimated", t.CostEstimated);
        w.WriteStartArray("models");
        foreach (var (model, usd, calls) in t.Models)
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteNumber("calls", calls);
            w.WriteNumber("cost_usd", Math.Round(usd, 6));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        output.Write("\n"u8);
    }

    private static void WriteSession(Utf8JsonWriter w, SessionTimeline s, ReplayOptions options)
    {
        var m = s.Session.Meta;
        w.WriteString("session_id", s.Session.Id);
        w.WriteString("agent_name", m.AgentName);
        w.WriteString("command", m.Command);
        w.WriteNumber("started_at", m.StartedAt);
        if (m.EndedAt is double e) w.WriteNumber("ended_at", e); else w.WriteNull("ended_at");
        w.WriteNumber("duration_s", Math.Round(s.DurationSeconds, 3));
        if (m.ParentSessionId.Length > 0) w.WriteString("parent_session_id", m.ParentSessionId);
        w.WriteStartArray("steps");
        foreach (TimelineRow r in s.Rows)
        {
            if (!options.Keeps(r) && r.Subagents.Count == 0) continue;
            w.WriteStartObject();
            w.WriteNumber("offset_s", Math.Round(r.Offset, 6));
            w.WriteString("type", r.Type);
            w.WriteString("event_id", r.EventId);
            if (r.Name.Length > 0) w.WriteString("name", r.Name);
            if (r.Detail.Length > 0) w.WriteString("detail", r.Detail);
            if (r.Result.Length > 0) w.WriteString("result", r.Result);
            if (r.DurationMs is double d) w.WriteNumber("duration_ms", Math.Round(d, 3));
            w.WriteBoolean("error", r.IsError);
            if (r.Open) w.WriteBoolean("open", true);
            if (r.InputTokens is long i) w.WriteNumber("input_tokens", i);
            if (r.OutputTokens is long o) w.WriteNumber("output_tokens", o);
            if (r.CacheReadTokens is long cr) w.WriteNumber("cache_read_tokens", cr);
            if (r.CacheWriteTokens is long cw) w.WriteNumber("cache_write_tokens", cw);
            if (r.CostUsd is double usd)
            {
                w.WriteNumber("cost_usd", Math.Round(usd, 6));
                w.WriteBoolean("cost_estimated", r.CostEstimated);
            }
            WriteSessions(w, "subagents", r.Subagents, options);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteSessions(w, "orphan_subagents", s.Orphans, options);
    }

    /// <summary>A named array of sub-agent sessions; nothing when there are none.</summary>
    private static void WriteSessions(Utf8JsonWriter w, string name, IReadOnlyList<SessionTimeline> sessions, ReplayOptions options)
    {
        if (sessions.Count == 0) return;
        w.WriteStartArray(name);
        foreach (SessionTimeline sub in sessions)
        {
            w.WriteStartObject();
            WriteSession(w, sub, options);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
