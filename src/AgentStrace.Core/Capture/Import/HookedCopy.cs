using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// A session the hooks already record live. Hooks name a session's directory after the first 16 characters of the
/// agent's session id (the Python tool's rule), an import after the whole id; without this, importing a history the
/// hooks saw made each session twice and counted its cost twice. An imported session whose hooked copy exists tops it
/// up instead (see <see cref="SessionImportWriter"/>); a sub-agent or compaction of a hooked session is linked to it.
/// </summary>
public readonly record struct HookedCopy(ImportedSession Session, bool TopUp)
{
    /// <summary>The session as it should be stored, or null when no hooked copy is involved.</summary>
    public static HookedCopy? Find(TraceStore store, ImportedSession s)
    {
        if (HookedId(store, s.SessionId) is { } own) return new HookedCopy(s with { SessionId = own }, TopUp: true);
        if (!s.IsChild || HookedId(store, s.ParentSessionId) is not { } parent) return null;
        // A child's id is the same either way (agent id and the parent's first 8 characters); only its link differs.
        bool hookedChild = File.Exists(Path.Combine(store.SessionDir(s.SessionId), "meta.json"));
        return new HookedCopy(s with { ParentSessionId = parent }, TopUp: hookedChild);
    }

    private static string? HookedId(TraceStore store, string sessionId)
    {
        if (sessionId.Length <= 16) return null;
        string id = Ids.StoreSessionId(sessionId, 16);
        return id != sessionId && File.Exists(Path.Combine(store.SessionDir(id), "meta.json")) ? id : null;
    }
}
