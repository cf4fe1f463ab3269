using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// Stores imported sessions. A session not stored yet is written whole and published by a rename, without a lock
/// (<see cref="SessionPublisher"/>); otherwise, under the session lock, the events not stored yet go out in one append
/// (written in parts as they are read, one tail update) and meta.json is written once. Re-importing the same history adds nothing; a grown
/// history adds exactly the new events. A session the hooks recorded live is topped up instead of stored a second
/// time (<see cref="HookedCopy"/>).
/// </summary>
public sealed class SessionImportWriter(TraceStore store, Redactor redactor)
{
    /// <returns>What was stored, or null for a streamed session without activity (nothing is stored).</returns>
    public ImportResult? Write(ImportedSession s)
    {
        if (HookedCopy.Find(store, s) is { } hooked)
        {
            if (hooked.TopUp) return TopUp(hooked.Session);
            s = hooked.Session;
        }
        if (s.Stream is not null && !s.KeepEmpty) return StreamedSessionWriter.Write(store, redactor, s);
        string sessionId = s.SessionId;
        TraceStore.ValidateId(sessionId);
        string dir = store.SessionDir(sessionId);
        int written;
        // The events are read while they are written, so the totals (session_end, meta.json) are built after them.
        if (!Directory.Exists(dir)
            && SessionPublisher.TryPublish(store, sessionId, New(s, new EventIdSet()), () => SessionTotals.Fill(SessionTotals.NewMeta(s, redactor), s), out written))
        {
            return SessionTotals.Result(s, written);
        }
        Directory.CreateDirectory(dir);
        using var _ = SessionLock.Acquire(dir);
        StoreLeftovers.SweepSession(dir); // a session written into again: temp files of its killed writers go
        string metaPath = Path.Combine(dir, "meta.json");
        SessionMeta? stored = File.Exists(metaPath) ? MetaJson.Read(metaPath) : null;
        written = new EventWriter(dir).AppendStreamLocked(New(s, EventIdSet.Load(dir)));
        TraceStore.WriteMeta(dir, SessionTotals.Fill(stored ?? SessionTotals.NewMeta(s, redactor), s));
        return SessionTotals.Result(s, written);
    }

    /// <summary>
    /// Adds to a hooked session the model calls its transcript holds and the session does not: the hooks store the
    /// rest live, and read usage from the same transcript with the same event ids, so nothing is counted twice.
    /// </summary>
    private ImportResult TopUp(ImportedSession s)
    {
        string dir = store.SessionDir(s.SessionId);
        using var _ = SessionLock.Acquire(dir);
        StoreLeftovers.SweepSession(dir);
        (int written, long requests, long tokens) = CaptureWriter.AppendNewModelCallsLocked(dir, s.SessionId, s.Events, redactor);
        if (requests > 0) Hooks.HookStore.UpdateMetaLocked(dir, m => { m.LlmRequests += requests; m.TotalTokens += tokens; });
        return new ImportResult(s.SessionId, s.IsChild, written, 0, requests, tokens, 0);
    }

    /// <summary>The events whose ids are not in <paramref name="existing"/>, redacted once (<see cref="SessionTotals.Redacted"/>),
    /// then the session_end, built once they have all been read.</summary>
    private IEnumerable<TraceEvent> New(ImportedSession s, EventIdSet existing)
    {
        foreach (TraceEvent e in s.Events)
        {
            if (existing.Add(e.EventId)) yield return SessionTotals.Redacted(s.Mapped, redactor, e);
        }
        TraceEvent end = SessionTotals.End(s);
        if (existing.Add(end.EventId)) yield return redactor.Apply(end);
    }
}
