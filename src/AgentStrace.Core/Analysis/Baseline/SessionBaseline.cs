namespace AgentStrace.Analysis.Baseline;

/// <summary>
/// A stored baseline: global statistics plus per (agent, model) groups that had enough sessions.
/// A checked session is compared with its own group when there is one, else with the global statistics.
/// </summary>
public sealed class SessionBaseline
{
    public const int FormatVersion = 1;
    /// <summary>Fewer sessions than this and <c>baseline check</c> refuses to judge.</summary>
    public const int MinSessions = 5;
    /// <summary>An agent + model group gets its own statistics from this many sessions on.</summary>
    public const int MinGroupSessions = 10;

    public double CreatedAt { get; init; }
    public int SessionCount => Global.SessionCount;
    public required BaselineGroup Global { get; init; }
    public List<BaselineGroup> Groups { get; init; } = [];
    /// <summary>The sessions it was built from, newest first.</summary>
    public List<string> SessionIds { get; init; } = [];

    public static SessionBaseline Build(IReadOnlyList<SessionMetrics> sessions, double createdAt)
    {
        var baseline = new SessionBaseline
        {
            CreatedAt = createdAt,
            Global = BaselineGroup.From(sessions, null, null),
            SessionIds = sessions.Select(s => s.SessionId).ToList(),
        };
        foreach (var g in sessions.GroupBy(s => (s.Agent, s.Model)).OrderBy(g => g.Key.Agent, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal))
        {
            List<SessionMetrics> members = g.ToList();
            if (members.Count >= MinGroupSessions) baseline.Groups.Add(BaselineGroup.From(members, g.Key.Agent, g.Key.Model));
        }
        return baseline;
    }

    /// <summary>The group for this agent and model, else the global statistics.</summary>
    public BaselineGroup GroupFor(string agent, string model) =>
        Groups.Find(g => g.Agent == agent && g.Model == model) ?? Global;
}
