using AgentStrace.Export;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Langfuse;

/// <summary>
/// What every span of one Langfuse trace shares: the Langfuse session (the root ancestor's agent-strace session id, so
/// sub-agents stay in their parent's session), the user (<c>attribution.os_user</c> of the root, else of the session),
/// the environment (<c>--environment</c> / <c>LANGFUSE_TRACING_ENVIRONMENT</c>) and the release (<c>LANGFUSE_RELEASE</c>,
/// else the root session's git commit, else the tool's version).
/// </summary>
public sealed record LangfuseTraceContext(string SessionId, string UserId, bool IsTraceRoot)
{
    /// <summary>The Langfuse environment, or empty for Langfuse's own default.</summary>
    public string Environment { get; init; } = "";

    public string Release { get; init; } = "";

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
        string commit = root.Attribution is { IsObject: true } a ? a.AsObject().GetString("git_commit"u8).Trim() : "";
        return new LangfuseTraceContext(root.SessionId, user, planned.RootParentSpanId.Length == 0)
        {
            Release = commit.Length > 0 ? commit : "agent-strace@" + Spans.OtlpIdentity.Version,
        };
    }

    /// <summary>
    /// The environment from <c>--environment</c>, else <c>LANGFUSE_TRACING_ENVIRONMENT</c>, checked against Langfuse's
    /// rule (lower-case letters, digits, '-' and '_', at most 40 characters, not starting with "langfuse").
    /// </summary>
    public static string ResolveEnvironment(string? flag, Func<string, string?> env)
    {
        (string? value, string source) = flag is { Length: > 0 } ? (flag, "--environment")
            : env("LANGFUSE_TRACING_ENVIRONMENT") is { Length: > 0 } e ? (e, "LANGFUSE_TRACING_ENVIRONMENT") : (null, "");
        if (value is null) return "";
        value = value.Trim();
        bool valid = value.Length is > 0 and <= 40 && !value.StartsWith("langfuse", StringComparison.Ordinal)
            && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');
        return valid ? value
            : throw new Errors.AgentStraceException($"Invalid {source} '{value}': use lower-case letters, digits, '-' or '_' (at most 40, not starting with 'langfuse'), e.g. production.");
    }

    /// <summary>The release from <c>LANGFUSE_RELEASE</c> when set (the Langfuse SDKs' variable), else this context's.</summary>
    public LangfuseTraceContext WithSettings(string environment, Func<string, string?> env) =>
        this with { Environment = environment, Release = env("LANGFUSE_RELEASE") is { Length: > 0 } r ? r.Trim() : Release };

    private static string OsUser(SessionMeta meta) =>
        meta.Attribution is { IsObject: true } a ? a.AsObject().GetString("os_user"u8).Trim() : "";
}
