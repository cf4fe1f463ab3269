using AgentStrace.Errors;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>Which sessions an export covers: one id (prefix), the latest, or <c>--all</c> within <c>--since/--until</c>.</summary>
public static class SessionSelection
{
    public static List<SessionInfo> Resolve(TraceStore store, ExportRequest request, Action<string>? warn = null)
    {
        double? since = TimeBound.ParseOptional(request.Since, "--since");
        double? until = TimeBound.ParseOptional(request.Until, "--until");
        if (!string.IsNullOrEmpty(request.SessionId))
        {
            if (request.All) throw new AgentStraceException("Give either a session id or --all, not both.");
            return [store.Find(request.SessionId)];
        }
        if (request.All || since is not null || until is not null)
        {
            // Oldest first, so a multi-session export reads in time order.
            var list = store.List(since, until, warn);
            list.Reverse();
            return list;
        }
        return [store.Latest()];
    }
}
