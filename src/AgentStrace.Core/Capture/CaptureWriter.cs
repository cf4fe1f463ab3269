using AgentStrace.Capture.Redaction;
using AgentStrace.FileSystem;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture;

/// <summary>The one place captured events reach the store: redacted first, then appended under the session lock.</summary>
public static class CaptureWriter
{
    /// <summary>Creates the session when meta.json is missing (race-safe across processes); returns its meta.</summary>
    public static SessionMeta EnsureSession(TraceStore store, string sessionId, Func<SessionMeta> create, out bool created)
    {
        TraceStore.ValidateId(sessionId);
        string dir = store.SessionDir(sessionId);
        string metaPath = Path.Combine(dir, "meta.json");
        created = false;
        // A session directory planted as a link would carry every write of the session elsewhere.
        FileKind kind = SafeFile.KindOf(dir);
        if (kind is not (FileKind.Missing or FileKind.Directory)) throw new UnsafeFileException(dir, kind);
        if (File.Exists(metaPath)) return MetaJson.Read(metaPath);
        Directory.CreateDirectory(dir);
        using var _ = SessionLock.Acquire(dir);
        if (File.Exists(metaPath)) return MetaJson.Read(metaPath);
        SessionMeta meta = create();
        meta.SessionId = sessionId;
        store.Create(meta);
        created = true;
        return meta;
    }

    /// <summary>
    /// Appends the model calls (llm_request and llm_response events) a session does not hold yet, as events of
    /// <paramref name="sessionId"/>; the caller holds the session lock. Readers of an agent's own history give a call
    /// the same ids every time, so whoever read it first (a hook or an import), it is stored once.
    /// </summary>
    /// <returns>The events appended, the responses among them (one per request) and their input + output tokens.</returns>
    public static (int Written, long Requests, long Tokens) AppendNewModelCallsLocked(string sessionDir, string sessionId, IEnumerable<TraceEvent> events, Redactor redactor)
    {
        HashSet<string> existing = ExistingIds(sessionDir);
        var batch = new List<TraceEvent>();
        long requests = 0, tokens = 0;
        foreach (TraceEvent e in events)
        {
            if (e.Type is not (EventType.LlmRequest or EventType.LlmResponse) || !existing.Add(e.EventId)) continue;
            batch.Add(redactor.Apply(new TraceEvent
            {
                Type = e.Type, Timestamp = e.Timestamp, EventId = e.EventId, SessionId = sessionId, ParentId = e.ParentId,
                DurationMs = e.DurationMs, Data = e.Data,
            }));
            if (e.Type != EventType.LlmResponse) continue;
            requests++;
            tokens += LlmUsage.From(null, e.Data) is var u ? u.InputTokens + u.OutputTokens : 0;
        }
        return (new EventWriter(sessionDir).AppendBatchLocked(batch), requests, tokens);
    }

    /// <summary>Ids of the events already stored for a session (empty when it has none).</summary>
    public static HashSet<string> ExistingIds(string sessionDir)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string path = Path.Combine(sessionDir, "events.ndjson");
        if (!File.Exists(path)) return ids;
        using var reader = new EventReader(path);
        while (reader.TryRead(out TraceEvent e)) ids.Add(e.EventId);
        return ids;
    }

    /// <summary>Appends the events whose ids are not stored yet (redacted); returns how many were written.</summary>
    public static int AppendNew(string sessionDir, IEnumerable<TraceEvent> events, Redactor redactor)
    {
        using var _ = SessionLock.Acquire(sessionDir);
        HashSet<string> existing = ExistingIds(sessionDir);
        var writer = new EventWriter(sessionDir);
        int written = 0;
        foreach (TraceEvent e in events)
        {
            if (!existing.Add(e.EventId)) continue;
            writer.AppendLocked(redactor.Apply(e));
            written++;
        }
        return written;
    }
}
