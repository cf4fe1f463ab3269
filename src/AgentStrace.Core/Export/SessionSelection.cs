using AgentStrace.Errors;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>Which sessions an export covers: one id (prefix), the latest, or <c>--all</c> within <c>--since/--until</c>.</summary>
public static class SessionSelection
{
    /// <summary>
    /// The store's sessions, read once for a whole command (selection, sub-agent planning, enrichment). Unreadable metas
    /// are reported only when the listing is what selects (<c>--all</c>, <c>--since</c>, <c>--until</c>), as before.
    /// </summary>
    public static List<SessionInfo> ListStore(TraceStore store, ExportRequest request, Action<string>? warn) =>
        store.List(ListingSelects(request) ? warn : null);

    // No id, and --all or a time bound: the sessions are picked from the listing (TimeBound treats blank bounds as absent).
    private static bool ListingSelects(ExportRequest request) => string.IsNullOrEmpty(request.SessionId)
        && (request.All || !string.IsNullOrWhiteSpace(request.Since) || !string.IsNullOrWhiteSpace(request.Until));

    /// <param name="listing">The store's sessions when the caller has already listed them (<see cref="ListStore"/>).</param>
    public static List<SessionInfo> Resolve(TraceStore store, ExportRequest request, Action<string>? warn = null, IReadOnlyList<SessionInfo>? listing = null)
    {
        double? since = TimeBound.ParseOptional(request.Since, "--since");
        double? until = TimeBound.ParseOptional(request.Until, "--until");
        if (!string.IsNullOrEmpty(request.SessionId))
        {
            if (request.All) throw new AgentStraceException("Give either a session id or --all, not both.");
            return [store.Find(request.SessionId, listing)];
        }
        if (ListingSelects(request))
        {
            // Oldest first, so a multi-session export reads in time order.
            var list = listing is null ? store.List(since, until, warn) : TraceStore.Within(listing, since, until);
            list.Reverse();
            return list;
        }
        return [store.Latest(listing)];
    }
}
