using AgentStrace.Errors;

namespace AgentStrace.Analysis.Baseline;

/// <summary>
/// Scores a session against a baseline: <c>score = (value − centre) / spread</c>, anomalous when |score| exceeds the
/// threshold. Centre/spread are median and MAD × 1.4826 (<see cref="BaselineMethod.Robust"/>) or mean and standard
/// deviation. The spread never falls below a per-metric floor, so a history of identical values (say, no errors
/// ever) does not turn the smallest change into an infinite score.
/// </summary>
public sealed class BaselineCheck
{
    public required SessionMetrics Session { get; init; }
    public required BaselineGroup Group { get; init; }
    public BaselineMethod Method { get; init; }
    public double Threshold { get; init; }
    public List<MetricCheck> Metrics { get; init; } = [];
    public bool Anomalous => Metrics.Any(m => m.Anomalous);

    /// <summary>Smallest spread per metric: 1 cent, 1 second, 1 tool call, 5 percentage points, 1 file.</summary>
    public static double MinimumSpread(string metric) => metric switch
    {
        SessionMetrics.CostUsd => 0.01,
        SessionMetrics.DurationS => 1.0,
        SessionMetrics.ToolCalls => 1.0,
        SessionMetrics.ErrorRate or SessionMetrics.RetryRate => 0.05,
        SessionMetrics.BlastRadius => 1.0,
        _ => 0,
    };

    public static BaselineCheck Run(SessionBaseline baseline, SessionMetrics session, double threshold, BaselineMethod method)
    {
        if (!(threshold > 0) || double.IsInfinity(threshold))
        {
            throw new AgentStraceException($"Invalid --threshold {threshold}: use a number of standard deviations > 0, e.g. 2.0.");
        }
        if (baseline.SessionCount < SessionBaseline.MinSessions)
        {
            throw new AgentStraceException(
                $"The baseline has {baseline.SessionCount} session(s); at least {SessionBaseline.MinSessions} are needed to judge a session. Record more sessions and run 'agent-strace baseline update'.");
        }
        BaselineGroup group = baseline.GroupFor(session.Agent, session.Model);
        var check = new BaselineCheck { Session = session, Group = group, Method = method, Threshold = threshold };
        foreach (string name in SessionMetrics.Names)
        {
            if (!group.Metrics.TryGetValue(name, out MetricStats? stats) || stats.Count < 3) continue;
            double centre = method == BaselineMethod.Robust ? stats.Median : stats.Mean;
            double spread = Math.Max(method == BaselineMethod.Robust ? stats.RobustSpread : stats.StdDev, MinimumSpread(name));
            double value = session.Get(name);
            double score = (value - centre) / spread;
            check.Metrics.Add(new MetricCheck(name, value, centre, spread,
                Math.Max(0, centre - (threshold * spread)), centre + (threshold * spread), score, Math.Abs(score) > threshold));
        }
        return check;
    }
}
