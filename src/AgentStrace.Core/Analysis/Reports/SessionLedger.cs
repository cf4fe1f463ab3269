using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Analysis.Reports;

/// <summary>One session's priced requests, with what reports group them by.</summary>
public sealed record SessionLedger(SessionInfo Session, SessionCost Cost, List<PricedCall> Calls)
{
    /// <summary>The top of the session's parent chain: itself, its stored ancestor, or the missing parent an orphan names.</summary>
    public string RootId { get; set; } = Session.Id;

    /// <summary>The working directory the session ran in (session_start or an import's session_end), or "".</summary>
    public string Project { get; init; } = "";

    public string Agent => Session.Meta.AgentName.Length > 0 ? Session.Meta.AgentName : "unknown";

    /// <summary><c>main</c>, <c>sub-agent</c> or <c>compaction</c>.</summary>
    public string Kind => Session.Meta.ParentSessionId.Length == 0 ? "main"
        : Session.Id.Contains("acompact", StringComparison.Ordinal) || Session.Meta.Command.Contains("(compaction)", StringComparison.Ordinal) ? "compaction"
        : "sub-agent";

    /// <summary>Reads and prices sessions (in parallel; each session's events are read once) and links each to its root.</summary>
    public static List<SessionLedger> Build(IReadOnlyList<SessionInfo> sessions, IReadOnlyList<SessionInfo> listing, CostOptions options, Action<MalformedLine>? onMalformed,
        CancellationToken cancellationToken = default)
    {
        var results = new SessionLedger[sessions.Count];
        Workers.For(sessions.Count, Environment.ProcessorCount, i => results[i] = Read(sessions[i], options, onMalformed), cancellationToken);
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (SessionInfo s in listing) parents[s.Id] = s.Meta.ParentSessionId;
        foreach (SessionLedger l in results) l.RootId = Root(l.Session, parents);
        return [.. results];
    }

    public static SessionLedger Read(SessionInfo session, CostOptions options, Action<MalformedLine>? onMalformed)
    {
        var cost = new CostAccumulator(options);
        string project = "";
        if (File.Exists(session.EventsPath))
        {
            // Tool calls and results are passed over unparsed once a model call has priced the session.
            // Indexed: pricing looks up a dozen keys of each model call's data (usage, its details, the model).
            using var reader = new EventReader(session.EventsPath) { OnMalformed = onMalformed, Only = cost.Needs, Mode = EventParseMode.Indexed };
            while (reader.TryRead(out TraceEvent e))
            {
                cost.Add(e);
                if (project.Length == 0 && e.Type is EventType.SessionStart or EventType.SessionEnd) project = e.Data.GetString("cwd"u8);
            }
        }
        SessionCost priced = cost.Finish();
        return new SessionLedger(session, priced, cost.PricedCalls) { Project = project };
    }

    private static string Root(SessionInfo session, Dictionary<string, string> parents)
    {
        string id = session.Id;
        string parent = session.Meta.ParentSessionId;
        for (int depth = 0; parent.Length > 0 && depth < 64; depth++)
        {
            id = parent;
            if (!parents.TryGetValue(id, out parent!)) break; // the parent is not stored: the id it names is the root
        }
        return id;
    }
}
