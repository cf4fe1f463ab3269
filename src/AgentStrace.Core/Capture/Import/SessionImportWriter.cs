using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// Stores imported sessions: under the session lock, the events not stored yet go out in one append (one write, one
/// tail update) and meta.json is written once. Re-importing the same history adds nothing; a grown history adds
/// exactly the new events. A session the hooks recorded live is topped up instead of stored a second time
/// (<see cref="HookedCopy"/>).
/// </summary>
public sealed class SessionImportWriter(TraceStore store, Redactor redactor)
{
    public ImportResult Write(ImportedSession s)
    {
        if (HookedCopy.Find(store, s) is { } hooked)
        {
            if (hooked.TopUp) return TopUp(hooked.Session);
            s = hooked.Session;
        }
        MappedSession mapped = s.Mapped;
        string sessionId = s.SessionId;
        TraceStore.ValidateId(sessionId);
        var end = new EventBuilder();
        double duration = mapped.TurnDurationMs > 0 ? mapped.TurnDurationMs : (mapped.End - mapped.Start) * 1000;
        end.Data.WriteNumber("duration_ms", duration);
        end.Data.WriteNumber("tool_calls", mapped.ToolCalls);
        end.Data.WriteNumber("llm_requests", mapped.LlmRequests);
        end.Data.WriteNumber("total_tokens", mapped.TotalTokens);
        end.Data.WriteString("source", Path.GetFullPath(s.Source));
        if (mapped.Cwd.Length > 0) end.Data.WriteString("cwd", mapped.Cwd);
        // The transcript lists every billed request: a session without any is $0, not an estimate.
        end.Data.WriteString("usage_source", "transcript");
        TraceEvent endEvent = end.Build(EventType.SessionEnd, sessionId, mapped.End, eventId: CaptureIds.Event("session_end:" + sessionId));

        string dir = store.SessionDir(sessionId);
        Directory.CreateDirectory(dir);
        using var _ = SessionLock.Acquire(dir);
        string metaPath = Path.Combine(dir, "meta.json");
        bool exists = File.Exists(metaPath);
        SessionMeta meta = exists ? MetaJson.Read(metaPath) : new SessionMeta
        {
            SessionId = sessionId,
            StartedAt = mapped.Start > 0 ? mapped.Start : Clock.Now(),
            AgentName = s.AgentName,
            Command = redactor.Text(s.Command),
            Attribution = s.Attribution,
        };
        HashSet<string> existing = CaptureWriter.ExistingIds(dir);
        int written = new EventWriter(dir).AppendBatchLocked(New(mapped.Events, endEvent, existing));
        if (mapped.Start > 0 && (meta.StartedAt == 0 || mapped.Start < meta.StartedAt)) meta.StartedAt = mapped.Start;
        if (mapped.End > 0) meta.EndedAt = Math.Max(mapped.End, meta.EndedAt ?? 0);
        meta.ToolCalls = mapped.ToolCalls;
        meta.LlmRequests = mapped.LlmRequests;
        meta.Errors = mapped.Errors;
        meta.TotalTokens = mapped.TotalTokens;
        meta.TotalDurationMs = duration;
        if (s.IsChild)
        {
            meta.ParentSessionId = s.ParentSessionId;
            if (s.ParentEventId.Length > 0) meta.ParentEventId = s.ParentEventId;
            meta.Depth = Math.Max(s.Depth, Math.Max(1, meta.Depth));
        }
        TraceStore.WriteMeta(dir, meta);
        return new ImportResult(sessionId, s.IsChild, written, mapped.ToolCalls, mapped.LlmRequests, mapped.TotalTokens, mapped.Errors);
    }

    /// <summary>
    /// Adds to a hooked session the model calls its transcript holds and the session does not: the hooks store the
    /// rest live, and read usage from the same transcript with the same event ids, so nothing is counted twice.
    /// </summary>
    private ImportResult TopUp(ImportedSession s)
    {
        string dir = store.SessionDir(s.SessionId);
        using var _ = SessionLock.Acquire(dir);
        (int written, long requests, long tokens) = CaptureWriter.AppendNewModelCallsLocked(dir, s.SessionId, s.Mapped.Events, redactor);
        if (requests > 0) Hooks.HookStore.UpdateMetaLocked(dir, m => { m.LlmRequests += requests; m.TotalTokens += tokens; });
        return new ImportResult(s.SessionId, s.IsChild, written, 0, requests, tokens, 0);
    }

    private IEnumerable<TraceEvent> New(List<TraceEvent> events, TraceEvent end, HashSet<string> existing)
    {
        foreach (TraceEvent e in events)
        {
            if (existing.Add(e.EventId)) yield return redactor.Apply(e);
        }
        if (existing.Add(end.EventId)) yield return redactor.Apply(end);
    }
}
