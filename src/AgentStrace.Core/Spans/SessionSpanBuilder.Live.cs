using AgentStrace.Model;

namespace AgentStrace.Spans;

// Live streaming (watch --stream-to) builds children while the session runs and the root at its end, from the
// final meta.json (counters, ended_at), so the root equals the one a later export builds.
public sealed partial class SessionSpanBuilder
{
    /// <summary>Replaces the metadata used for the root span (same session).</summary>
    public void UpdateMeta(SessionMeta meta)
    {
        if (!string.Equals(meta.SessionId, _meta.SessionId, StringComparison.Ordinal))
        {
            throw new ArgumentException("meta.json belongs to another session", nameof(meta));
        }
        _meta = meta;
    }
}
