using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// Stores imported sessions. A session not stored yet is written whole and published by a rename, without a lock
/// (<see cref="SessionPublisher"/>); otherwise, under the session lock, the events not stored yet go out in one append
/// (one write, one tail update) and meta.json is written once. Re-importing the same history adds nothing; a grown
/// history adds exactly the new events. A session the hooks recorded live is topped up instead of stored a second
/// time (<see cref="HookedCopy"/>).
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
        int written;
        if (!Directory.Exists(dir))
        {
            SessionMeta fresh = Fill(NewMeta(s), s, duration);
            if (SessionPublisher.TryPublish(store, sessionId, New(mapped, endEvent, []), fresh, out written)) return Result(s, written);
        }
        Directory.CreateDirectory(dir);
        using var _ = SessionLock.Acquire(dir);
        string metaPath = Path.Combine(dir, "meta.json");
        SessionMeta meta = File.Exists(metaPath) ? MetaJson.Read(metaPath) : NewMeta(s);
        written = new EventWriter(dir).AppendBatchLocked(New(mapped, endEvent, CaptureWriter.ExistingIds(dir)));
        TraceStore.WriteMeta(dir, Fill(meta, s, duration));
        return Result(s, written);
    }

    private SessionMeta NewMeta(ImportedSession s) => new()
    {
        SessionId = s.SessionId,
        StartedAt = s.Mapped.Start > 0 ? s.Mapped.Start : Clock.Now(),
        AgentName = s.AgentName,
        Command = redactor.Text(s.Command),
        Attribution = s.Attribution,
    };

    private static ImportResult Result(ImportedSession s, int written) =>
        new(s.SessionId, s.IsChild, written, s.Mapped.ToolCalls, s.Mapped.LlmRequests, s.Mapped.TotalTokens, s.Mapped.Errors);

    /// <summary>The session's totals and links, over what meta.json held.</summary>
    private static SessionMeta Fill(SessionMeta meta, ImportedSession s, double duration)
    {
        MappedSession mapped = s.Mapped;
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
        return meta;
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

    /// <summary>
    /// The events whose ids are not in <paramref name="existing"/>, redacted once: a mapper that redacted each value
    /// itself (<see cref="MappedSession.Redacted"/>) only has its events flagged; the others are redacted here.
    /// </summary>
    private IEnumerable<TraceEvent> New(MappedSession mapped, TraceEvent end, HashSet<string> existing)
    {
        bool done = mapped.Redacted && (mapped.Redactor.Enabled || !redactor.Enabled);
        foreach (TraceEvent e in mapped.Events)
        {
            if (existing.Add(e.EventId)) yield return done ? mapped.Redactor.Flag(e) : redactor.Apply(e);
        }
        if (existing.Add(end.EventId)) yield return redactor.Apply(end);
    }
}
