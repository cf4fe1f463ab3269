using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// A session the hooks already record live. Claude Code's hooks name a session's directory after the first 16
/// characters of its id (the Python tool's rule), other agents' hooks after the whole id, as the import does; without
/// this, importing a history the hooks saw stored each session twice (or mixed two captures in one directory) and
/// counted its cost twice. An imported session whose hooked copy exists tops it up instead (see
/// <see cref="SessionImportWriter"/>); a sub-agent or compaction of a hooked session is linked to it.
/// </summary>
public sealed class HookedCopy(ImportedSession session, bool topUp)
{
    /// <summary>The session as it is to be stored: under the hooked copy's id, or linked to the hooked parent.</summary>
    public ImportedSession Session { get; } = session;

    /// <summary>Add only the model calls the hooked copy misses; otherwise store <see cref="Session"/> as usual.</summary>
    public bool TopUp { get; } = topUp;

    /// <summary>The session as it should be stored, or null when no hooked copy is involved.</summary>
    public static HookedCopy? Find(TraceStore store, ImportedSession s)
    {
        if (HookedId(store, s.SessionId, s.Source, s.AgentName) is { } own) return new HookedCopy(s with { SessionId = own }, topUp: true);
        if (!s.IsChild || HookedId(store, s.ParentSessionId, source: null, s.AgentName) is not { } parent) return null;
        // A Claude sub-agent's id is the same either way (agent id and the parent's first 8 characters); its link differs.
        bool hookedChild = File.Exists(Path.Combine(store.SessionDir(s.SessionId), "meta.json"));
        return new HookedCopy(s with { ParentSessionId = parent }, topUp: hookedChild);
    }

    private static string? HookedId(TraceStore store, string sessionId, string? source, string agent)
    {
        string shortId = Ids.StoreSessionId(sessionId, 16);
        // The import never makes a 16-character directory for a longer id: one that exists is the hooks'.
        if (shortId != sessionId && IsCopyOf(store.SessionDir(shortId), source)) return shortId;
        // Claude Code's hooks never use the whole id: a directory under it is the import's own (no need to read it).
        if (agent == Hooks.AgentHooks.ClaudeCode) return null;
        string dir = store.SessionDir(sessionId);
        // Under the whole id, the import's own earlier copy ends with its session_end; the hooks' copy has none of it.
        bool hooked = IsCopyOf(dir, source)
            && !CaptureWriter.ExistingIds(dir).Contains(CaptureIds.Event("session_end:" + sessionId));
        return hooked ? sessionId : null;
    }

    /// <summary>
    /// Whether a stored session is the one read from <paramref name="source"/>: the hooks note the agent's file in their
    /// session_start; when they did not (hooks installed mid-session) the id has to do.
    /// </summary>
    private static bool IsCopyOf(string dir, string? source)
    {
        if (!File.Exists(Path.Combine(dir, "meta.json"))) return false;
        string events = Path.Combine(dir, "events.ndjson");
        if (source is null || !File.Exists(events)) return true;
        using var reader = new EventReader(events);
        for (int i = 0; i < 4 && reader.TryRead(out TraceEvent e); i++)
        {
            if (e.Type != EventType.SessionStart) continue;
            string transcript = e.Data.GetString("transcript_path"u8);
            return transcript.Length == 0 || Path.GetFileName(transcript) == Path.GetFileName(source);
        }
        return true;
    }
}
