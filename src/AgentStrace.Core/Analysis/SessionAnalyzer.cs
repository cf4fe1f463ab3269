using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Analysis;

/// <summary>Reads a session's events once, streaming, and derives its <see cref="SessionMetrics"/> and <see cref="SessionCost"/>.</summary>
public sealed class SessionAnalyzer(CostOptions costOptions, SessionMetricsMode mode = SessionMetricsMode.Default)
{
    public Action<MalformedLine>? OnMalformed { get; init; }

    /// <summary>Stops a read in progress (checked as the events are read).</summary>
    public CancellationToken Cancellation { get; init; }

    public (SessionMetrics Metrics, SessionCost Cost) Analyze(SessionInfo session, Action<ModelCall>? onCall = null)
    {
        var cost = new CostAccumulator(costOptions, onCall);
        var counts = new MetricsAccumulator(mode);
        if (File.Exists(session.EventsPath))
        {
            using var reader = new EventReader(session.EventsPath) { OnMalformed = OnMalformed, Cancellation = Cancellation };
            while (reader.TryRead(out TraceEvent e))
            {
                cost.Add(e);
                counts.Add(e);
            }
        }
        SessionCost priced = cost.Finish();
        SessionMeta meta = session.Meta;
        double duration = mode == SessionMetricsMode.Upstream || meta.TotalDurationMs > 0
            ? meta.TotalDurationMs / 1000.0
            : meta.EndedAt is { } end ? Math.Max(0, end - meta.StartedAt)
            : double.IsNaN(counts.FirstTimestamp) ? 0 : counts.LastTimestamp - counts.FirstTimestamp;
        var metrics = new SessionMetrics
        {
            SessionId = session.Id,
            Agent = meta.AgentName.Length > 0 ? meta.AgentName : "unknown",
            Model = cost.SessionModel.Length > 0 ? cost.SessionModel : "unknown",
            StartedAt = meta.StartedAt,
            Ended = meta.EndedAt is not null,
            Cost = mode == SessionMetricsMode.Upstream ? meta.TotalTokens / 1e6 * 3.0 : priced.TotalUsd,
            CostEstimated = mode == SessionMetricsMode.Upstream || priced.Estimated,
            Duration = duration,
            ToolCallCount = counts.ToolCalls,
            Errors = counts.Errors,
            Retries = counts.Retries,
            FilesWritten = counts.FilesWritten,
        };
        return (metrics, priced);
    }
}
