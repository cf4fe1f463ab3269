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
        string sessionId = s.SessionId;
        TraceStore.ValidateId(sessionId);
        string dir = store.SessionDir(sessionId);
        Directory.CreateDirectory(dir);
        using var _ = SessionLock.Acquire(dir);
        EventIdSet existing = EventIdSet.Load(dir);
        int written = new EventWriter(dir).AppendStreamLocked(New(events, s, existing, redactor));
        string metaPath = Path.Combine(dir, "meta.json");
        SessionMeta meta = File.Exists(metaPath) ? MetaJson.Read(metaPath) : SessionTotals.NewMeta(s, redactor);
        TraceStore.WriteMeta(dir, SessionTotals.Fill(meta, s));
        return SessionTotals.Result(s, written);
    }

    /// <summary>The events not stored yet, redacted once, then the session_end (built once the totals are known).</summary>
    private static IEnumerable<TraceEvent> New(IEnumerator<TraceEvent> events, ImportedSession s, EventIdSet existing, Redactor redactor)
    {
        var pacer = new GarbagePacer();
        do
        {
            TraceEvent e = events.Current;
            if (existing.Add(e.EventId)) yield return SessionTotals.Redacted(s.Mapped, redactor, e);
            pacer.Step();
        }
        while (events.MoveNext());
        TraceEvent end = SessionTotals.End(s);
        if (existing.Add(end.EventId)) yield return redactor.Apply(end);
    }
}
