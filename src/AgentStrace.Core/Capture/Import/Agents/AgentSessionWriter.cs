using System.Buffers;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>
/// Writes an <see cref="AgentSession"/> through the same capture path as Claude Code imports: the session is created
/// once, events are redacted and appended only when their ids are new, and meta.json carries the agent, its version,
/// cwd and git facts (the attribution block the audit package reads) and the parent link of sub-agents.
/// </summary>
public static class AgentSessionWriter
{
    public static ImportResult Write(TraceStore store, Redactor redactor, AgentSession s)
    {
        MappedSession m = s.Mapped;
        var end = new EventBuilder();
        double duration = m.TurnDurationMs > 0 ? m.TurnDurationMs : Math.Max(0, m.End - m.Start) * 1000;
        end.Data.WriteNumber("duration_ms", duration);
        end.Data.WriteNumber("tool_calls", m.ToolCalls);
        end.Data.WriteNumber("llm_requests", m.LlmRequests);
        end.Data.WriteNumber("total_tokens", m.TotalTokens);
        end.Data.WriteString("source", Path.GetFullPath(s.Source));
        var events = new List<TraceEvent>(m.Events)
        {
            end.Build(EventType.SessionEnd, s.SessionId, m.End, eventId: CaptureIds.Event("session_end:" + s.SessionId)),
        };
        JsonValue attribution = Attribution(s, redactor);
        CaptureWriter.EnsureSession(store, s.SessionId, () => new SessionMeta
        {
            StartedAt = m.Start > 0 ? m.Start : Clock.Now(),
            AgentName = s.Agent,
            Command = redactor.Text(s.Command),
            Attribution = attribution,
        }, out _);
        string dir = store.SessionDir(s.SessionId);
        int written = CaptureWriter.AppendNew(dir, events, redactor);
        TraceStore.UpdateMeta(dir, meta =>
        {
            meta.AgentName = s.Agent;
            if (m.Start > 0 && (meta.StartedAt == 0 || m.Start < meta.StartedAt)) meta.StartedAt = m.Start;
            if (m.End > 0) meta.EndedAt = Math.Max(m.End, meta.EndedAt ?? 0);
            meta.ToolCalls = m.ToolCalls;
            meta.LlmRequests = m.LlmRequests;
            meta.Errors = m.Errors;
            meta.TotalTokens = m.TotalTokens;
            meta.TotalDurationMs = duration;
            meta.Attribution ??= attribution;
            if (s.ParentSessionId.Length > 0)
            {
                meta.ParentSessionId = s.ParentSessionId;
                if (s.ParentEventId.Length > 0) meta.ParentEventId = s.ParentEventId;
                meta.Depth = Math.Max(1, s.Depth);
            }
        });
        return new ImportResult(s.SessionId, s.ParentSessionId.Length > 0, written, m.ToolCalls, m.LlmRequests, m.TotalTokens, m.Errors);
    }

    private static JsonValue Attribution(AgentSession s, Redactor redactor)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        w.WriteString("agent_provider", s.Agent);
        Str(w, "agent_version", s.Version);
        Str(w, "model_provider", s.Provider);
        Str(w, "git_repo", redactor.Text(s.GitRepo));
        Str(w, "git_branch", s.Mapped.GitBranch);
        Str(w, "git_commit", s.GitCommit);
        Str(w, "working_dir", s.Cwd);
        w.WriteEndObject();
        return new JsonValue(System.Text.Json.JsonTokenType.StartObject, buffer.WrittenSpan.ToArray(), false);
    }

    private static void Str(PyJsonWriter w, string key, string value)
    {
        if (value.Length > 0) w.WriteString(key, value);
    }
}
