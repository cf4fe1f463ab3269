using AgentStrace.Export;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Langfuse;

/// <summary>
/// What every span of one Langfuse trace shares: the Langfuse session (the root ancestor's agent-strace session id, so
/// sub-agents stay in their parent's session) and the user (<c>attribution.os_user</c> of the root, else of the session).
/// </summary>
public sealed record LangfuseTraceContext(string SessionId, string UserId, bool IsTraceRoot)
{
    /// <summary>Langfuse drops session ids that are not US-ASCII or are 200 characters or longer (langfuse.com/docs/sessions).</summary>
    public static bool IsUsableSessionId(string id) => id.Length is > 0 and < 200 && id.All(char.IsAscii);

    public static LangfuseTraceContext For(PlannedSession planned, IReadOnlyDictionary<string, SessionInfo> byId)
    {
        SessionMeta meta = planned.Session.Meta;
        SessionMeta root = meta;
        var seen = new HashSet<string>(StringComparer.Ordinal) { meta.SessionId };
        for (int i = 0; i < TraceExportPlan.MaxDepth && root.ParentSessionId.Length > 0
             && byId.TryGetValue(root.ParentSessionId, out SessionInfo? parent) && seen.Add(parent.Id); i++)
        {
            root = parent.Meta;
        }
        string user = OsUser(root);
        if (user.Length == 0) user = OsUser(meta);
        return new LangfuseTraceContext(root.SessionId, user, planned.RootParentSpanId.Length == 0);
    }

    private static string OsUser(SessionMeta meta) =>
        meta.Attribution is { IsObject: true } a ? a.AsObject().GetString("os_user"u8).Trim() : "";
}
