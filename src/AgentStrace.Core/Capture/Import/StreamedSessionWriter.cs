using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// Stores a session whose events are read while they are written (<see cref="ImportedSession.Stream"/>: Codex and
/// Gemini CLI files): under the session lock, the events not stored yet are appended in parts as they come
/// (<see cref="EventWriter.AppendStreamLocked"/>), then the session_end and meta.json carry the totals the reading
/// produced. Memory stays bounded by the reader's window, not the file: a 100 MB rollout imports in tens of MiB. The
/// lock is held while the file is read.
/// </summary>
public static class StreamedSessionWriter
{
    /// <returns>What was stored, or null when the stream yields nothing (a file without activity: nothing is stored).</returns>
    public static ImportResult? Write(TraceStore store, Redactor redactor, ImportedSession s)
    {
        using IEnumerator<TraceEvent> events = s.Events.GetEnumerator();
        if (!events.MoveNext()) return null;
        MappedSession mapped = s.Mapped;
        string sessionId = s.SessionId;
        TraceStore.ValidateId(sessionId);
        string dir = store.SessionDir(sessionId);
        Directory.CreateDirectory(dir);
        using var _ = SessionLock.Acquire(dir);
        EventIdSet existing = EventIdSet.Load(dir);
        int written = new EventWriter(dir).AppendStreamLocked(New(events, s, existing, redactor));
        double duration = Duration(mapped);
        string metaPath = Path.Combine(dir, "meta.json");
        SessionMeta meta = File.Exists(metaPath) ? MetaJson.Read(metaPath) : new SessionMeta
        {
            SessionId = sessionId,
            StartedAt = mapped.Start > 0 ? mapped.Start : Clock.Now(),
            AgentName = s.AgentName,
            Command = redactor.Text(s.Command),
            Attribution = s.Attribution,
        };
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

    private const long GarbageBytes = 4 << 20;

    private static double Duration(MappedSession m) => m.TurnDurationMs > 0 ? m.TurnDurationMs : (m.End - m.Start) * 1000;

    /// <summary>The events not stored yet, redacted, then the session_end (built once the totals are known).</summary>
    private static IEnumerable<TraceEvent> New(IEnumerator<TraceEvent> events, ImportedSession s, EventIdSet existing, Redactor redactor)
    {
        long collected = GC.GetAllocatedBytesForCurrentThread();
        int n = 0;
        do
        {
            TraceEvent e = events.Current;
            if (existing.Add(e.EventId)) yield return redactor.Apply(e);
            // Every event is garbage once written: collecting it every few MiB keeps the peak near the live set, where
            // the process-wide young-generation budget (sized for exports) would let it grow by that budget.
            if (++n % 256 == 0 && GC.GetAllocatedBytesForCurrentThread() - collected > GarbageBytes)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
                collected = GC.GetAllocatedBytesForCurrentThread();
            }
        }
        while (events.MoveNext());
        TraceEvent end = End(s);
        if (existing.Add(end.EventId)) yield return redactor.Apply(end);
    }

    private static TraceEvent End(ImportedSession s)
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
}
