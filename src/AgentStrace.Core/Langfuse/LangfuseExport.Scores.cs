using AgentStrace.Analysis;
using AgentStrace.Export;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;

namespace AgentStrace.Langfuse;

public static partial class LangfuseExport
{
    /// <summary>Posts the session's eval.json scores and baseline verdict; returns how many were sent (or would be, in a dry run).</summary>
    private static async Task<int> SendScoresAsync(LangfuseScoreClient client, PlannedSession planned, LangfuseTraceContext context, Run run,
        BaselineVerdicts? verdicts, CancellationToken cancellationToken)
    {
        List<LangfuseScore> scores = ScoresFor(planned, Output.Text.Warn);
        if (verdicts is not null) scores.Add(verdicts.For(planned));
        foreach (LangfuseScore bad in scores.Where(s => !double.IsFinite(s.Value)))
        {
            Output.Text.Warn($"agent-strace: score '{bad.Name}' of session {planned.Session.Id} is not a finite number; not sent.");
        }
        scores = scores.Where(s => double.IsFinite(s.Value)).Select(s => s with { Environment = context.Environment }).ToList();
        if (run.DryRun) return scores.Count;
        foreach (LangfuseScore score in scores)
        {
            OtlpSendResult result = await client.SendAsync(score, cancellationToken);
            if (!result.Delivered) throw run.ScoreFailure(planned, score, result);
        }
        return scores.Count;
    }

    /// <summary>
    /// The Langfuse scores of one session: one NUMERIC score per eval.json judge on the session's trace (a sub-agent's
    /// on its root observation inside the parent's trace), with an id derived from session and judge name.
    /// </summary>
    public static List<LangfuseScore> ScoresFor(PlannedSession planned, Action<string>? warn = null)
    {
        string sessionId = planned.Session.Id;
        string traceId = LangfuseIds.TraceId(planned.TraceId);
        string? observationId = planned.RootParentSpanId.Length > 0 ? LangfuseIds.ObservationId(TraceIds.RootSpanId(sessionId)) : null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var scores = new List<LangfuseScore>();
        foreach (EvalScore s in EvalScoreReader.Read(planned.Session.Directory, warn))
        {
            int occurrence = seen.TryGetValue(s.Judge, out int n) ? n : 0;
            seen[s.Judge] = occurrence + 1;
            scores.Add(new LangfuseScore
            {
                Id = LangfuseIds.ScoreId(sessionId, s.Judge, occurrence),
                TraceId = traceId,
                ObservationId = observationId,
                Name = s.Judge,
                Value = s.Score,
                Comment = s.Comment,
                Source = s,
                SessionId = sessionId,
            });
        }
        return scores;
    }
}
