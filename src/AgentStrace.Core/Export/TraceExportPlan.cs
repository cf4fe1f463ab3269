using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>One session to turn into spans, with where it hangs in its trace.</summary>
public sealed record PlannedSession(SessionInfo Session, byte[] TraceId, byte[] RootParentSpanId);

/// <summary>
/// Expands a selection into trace trees: a sub-agent session exports into its root ancestor's trace, its root
/// span nested under the spawning tool span (upstream's sub-agent tree export: span id of <c>parent_event_id</c>), and exporting a
/// parent also exports its sub-agents. A session already covered by a selected ancestor is not exported twice.
/// </summary>
public static class TraceExportPlan
{
    public const int MaxDepth = 5;

    /// <param name="listing">The store's sessions when the caller has already listed them (read once per command).</param>
    public static List<PlannedSession> Build(TraceStore store, IReadOnlyList<SessionInfo> selected, Action<string>? warn = null,
        IReadOnlyList<SessionInfo>? listing = null)
    {
        var all = listing ?? store.List();
        var byId = all.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var children = all.Where(s => s.Meta.ParentSessionId.Length > 0)
            .GroupBy(s => s.Meta.ParentSessionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Meta.StartedAt).ToList(), StringComparer.Ordinal);
        var selectedIds = selected.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var plan = new List<PlannedSession>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (SessionInfo s in selected)
        {
            if (HasSelectedAncestor(s, byId, selectedIds)) continue;
            (string rootId, byte[] parentSpan) = Anchor(s, byId);
            AddTree(s, TraceIds.TraceId(rootId), parentSpan, 0);
        }
        return plan;

        void AddTree(SessionInfo s, byte[] traceId, byte[] parentSpan, int depth)
        {
            if (!done.Add(s.Id)) return;
            plan.Add(new PlannedSession(s, traceId, parentSpan));
            if (!children.TryGetValue(s.Id, out var kids)) return;
            if (depth + 1 > MaxDepth)
            {
                warn?.Invoke($"agent-strace: subagent tree truncated at depth {MaxDepth} (session {s.Id})");
                return;
            }
            foreach (SessionInfo child in kids) AddTree(child, traceId, ChildParentSpan(child), depth + 1);
        }
    }

    private static byte[] ChildParentSpan(SessionInfo child) =>
        child.Meta.ParentEventId.Length > 0 ? TraceIds.SpanId(child.Meta.ParentEventId) : TraceIds.RootSpanId(child.Meta.ParentSessionId);

    // The trace a session belongs to: its root ancestor's (when the ancestors are in the store), else its own.
    private static (string RootId, byte[] ParentSpan) Anchor(SessionInfo s, Dictionary<string, SessionInfo> byId)
    {
        if (s.Meta.ParentSessionId.Length == 0 || !byId.ContainsKey(s.Meta.ParentSessionId)) return (s.Id, []);
        string root = s.Meta.ParentSessionId;
        var seen = new HashSet<string>(StringComparer.Ordinal) { s.Id };
        for (int i = 0; i < MaxDepth && byId.TryGetValue(root, out SessionInfo? p) && p.Meta.ParentSessionId.Length > 0
             && byId.ContainsKey(p.Meta.ParentSessionId) && seen.Add(root); i++)
        {
            root = p.Meta.ParentSessionId;
        }
        return (root, ChildParentSpan(s));
    }

    private static bool HasSelectedAncestor(SessionInfo s, Dictionary<string, SessionInfo> byId, HashSet<string> selected)
    {
        string parent = s.Meta.ParentSessionId;
        for (int i = 0; i < MaxDepth && parent.Length > 0; i++)
        {
            if (selected.Contains(parent)) return true;
            if (!byId.TryGetValue(parent, out SessionInfo? p)) return false;
            parent = p.Meta.ParentSessionId;
        }
        return false;
    }
}
