using System.Globalization;
using AgentStrace.Analysis;
using AgentStrace.Analysis.Baseline;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Langfuse;

/// <summary>
/// With <c>--scores</c> and a baseline in the store (<c>baseline update</c>), each session also gets a
/// <c>baseline_anomaly</c> score: 1 when <c>baseline check</c> would flag it (robust method, threshold 2.0), else 0,
/// with the flagged metrics, their values and expected bands in the comment.
/// </summary>
public sealed class BaselineVerdicts
{
    public const string ScoreName = "baseline_anomaly";
    public const double Threshold = 2.0;

    private readonly SessionBaseline _baseline;
    private readonly SessionAnalyzer _analyzer;

    private BaselineVerdicts(SessionBaseline baseline, SessionAnalyzer analyzer)
    {
        _baseline = baseline;
        _analyzer = analyzer;
    }

    /// <summary>The store's baseline, or null (with a warning) when there is none usable.</summary>
    public static BaselineVerdicts? Load(TraceStore store, Action<string> warn)
    {
        string path = BaselineStore.DefaultPath(store);
        if (!File.Exists(path)) return null;
        try
        {
            SessionBaseline baseline = BaselineJson.Load(path);
            if (baseline.SessionCount < SessionBaseline.MinSessions)
            {
                warn($"agent-strace: {path} holds {baseline.SessionCount} session(s); baseline verdicts need {SessionBaseline.MinSessions}, so none are sent.");
                return null;
            }
            return new BaselineVerdicts(baseline, new SessionAnalyzer(CostOptions.Default(PricingTable.Load(store.Root, null))));
        }
        catch (AgentStraceException ex)
        {
            warn($"agent-strace: baseline verdicts not sent: {ex.Message}");
            return null;
        }
    }

    public LangfuseScore For(PlannedSession planned)
    {
        string sessionId = planned.Session.Id;
        BaselineCheck check = BaselineCheck.Run(_baseline, _analyzer.Analyze(planned.Session).Metrics, Threshold, BaselineMethod.Robust);
        string reason = check.Anomalous
            ? string.Join("; ", check.Metrics.Where(m => m.Anomalous).Select(m => string.Create(CultureInfo.InvariantCulture,
                $"{m.Name} {m.Value:G4} outside [{m.Low:G4}, {m.High:G4}] (score {m.Score:0.0})")))
            : "within the baseline";
        return new LangfuseScore
        {
            Id = LangfuseIds.ScoreId(sessionId, ScoreName, 0),
            TraceId = LangfuseIds.TraceId(planned.TraceId),
            ObservationId = planned.RootParentSpanId.Length > 0 ? LangfuseIds.ObservationId(TraceIds.RootSpanId(sessionId)) : null,
            Name = ScoreName,
            Value = check.Anomalous ? 1 : 0,
            Comment = reason,
            Source = new EvalScore(ScoreName, check.Anomalous ? 1 : 0, Threshold, !check.Anomalous, reason),
            SessionId = sessionId,
            DataType = "BOOLEAN",
            Origin = "agent-strace baseline",
        };
    }
}
