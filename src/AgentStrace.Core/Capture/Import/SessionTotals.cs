using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>What both import writers (whole and streamed) build from a mapped session: its session_end event and meta.json.</summary>
internal static class SessionTotals
{
    public static double Duration(MappedSession m) => m.TurnDurationMs > 0 ? m.TurnDurationMs : (m.End - m.Start) * 1000;

    /// <summary>The session_end event, built once the totals are known.</summary>
    public static TraceEvent End(ImportedSession s)
    {
        MappedSession mapped = s.Mapped;
        var end = new EventBuilder();
        end.Data.WriteNumber("duration_ms", Duration(mapped));
        end.Data.WriteNumber("tool_calls", mapped.ToolCalls);
        end.Data.WriteNumber("llm_requests", mapped.LlmRequests);
        end.Data.WriteNumber("total_tokens", mapped.TotalTokens);
        end.Data.WriteString("source", Path.GetFullPath(s.Source));
        if (mapped.Cwd.Length > 0) end.Data.WriteString("cwd", mapped.Cwd);
        // The file lists every billed request: a session without any is $0, not an estimate.
        end.Data.WriteString("usage_source", "transcript");
        return end.Build(EventType.SessionEnd, s.SessionId, mapped.End, eventId: CaptureIds.Event("session_end:" + s.SessionId));
    }

    /// <summary>meta.json of a session the store does not hold yet.</summary>
    public static SessionMeta NewMeta(ImportedSession s, Redactor redactor) => new()
    {
        SessionId = s.SessionId,
        StartedAt = s.Mapped.Start > 0 ? s.Mapped.Start : Clock.Now(),
        AgentName = s.AgentName,
        Command = redactor.Text(s.Command),
        Attribution = s.Attribution,
    };

    /// <summary>The session's totals and links, over what meta.json held.</summary>
    public static SessionMeta Fill(SessionMeta meta, ImportedSession s)
    {
        MappedSession mapped = s.Mapped;
        if (mapped.Start > 0 && (meta.StartedAt == 0 || mapped.Start < meta.StartedAt)) meta.StartedAt = mapped.Start;
        if (mapped.End > 0) meta.EndedAt = Math.Max(mapped.End, meta.EndedAt ?? 0);
        meta.ToolCalls = mapped.ToolCalls;
        meta.LlmRequests = mapped.LlmRequests;
        meta.Errors = mapped.Errors;
        meta.TotalTokens = mapped.TotalTokens;
        meta.TotalDurationMs = Duration(mapped);
        if (s.IsChild)
        {
            meta.ParentSessionId = s.ParentSessionId;
            if (s.ParentEventId.Length > 0) meta.ParentEventId = s.ParentEventId;
            meta.Depth = Math.Max(s.Depth, Math.Max(1, meta.Depth));
        }
        return meta;
    }

    /// <summary>
    /// An event as it is stored, redacted once: a mapper that redacted each value itself
    /// (<see cref="MappedSession.Redacted"/>) only has it flagged; the others are redacted here.
    /// </summary>
    public static TraceEvent Redacted(MappedSession mapped, Redactor redactor, TraceEvent e) =>
        mapped.Redacted && (mapped.Redactor.Enabled || !redactor.Enabled) ? mapped.Redactor.Flag(e) : redactor.Apply(e);

    public static ImportResult Result(ImportedSession s, int written) =>
        new(s.SessionId, s.IsChild, written, s.Mapped.ToolCalls, s.Mapped.LlmRequests, s.Mapped.TotalTokens, s.Mapped.Errors);
}
