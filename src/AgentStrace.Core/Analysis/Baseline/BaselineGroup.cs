namespace AgentStrace.Analysis.Baseline;

/// <summary>The statistics of one set of sessions: all of them (<see cref="IsGlobal"/>) or one agent + model.</summary>
public sealed class BaselineGroup
{
    public string? Agent { get; init; }
    public string? Model { get; init; }
    public int SessionCount { get; init; }
    public Dictionary<string, MetricStats> Metrics { get; init; } = new(StringComparer.Ordinal);

    public bool IsGlobal => Agent is null && Model is null;

    public string Label => IsGlobal ? "all sessions" : $"agent={Agent} model={Model}";

    public static BaselineGroup From(IReadOnlyList<SessionMetrics> sessions, string? agent, string? model)
    {
        var group = new BaselineGroup { Agent = agent, Model = model, SessionCount = sessions.Count };
        foreach (string name in SessionMetrics.Names)
        {
            group.Metrics[name] = MetricStats.Compute(sessions.Select(s => s.Get(name)).ToArray());
        }
        return group;
    }
}
