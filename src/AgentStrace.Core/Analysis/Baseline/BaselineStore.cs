using AgentStrace.Errors;
using AgentStrace.Store;

namespace AgentStrace.Analysis.Baseline;

/// <summary>Builds, saves and applies the baseline of a store (<c>&lt;store&gt;/baseline.json</c> by default).</summary>
public static class BaselineStore
{
    public static string DefaultPath(TraceStore store) => Path.Combine(store.Root, "baseline.json");

    /// <summary>The metrics of the newest <paramref name="limit"/> ended sessions started at or after <paramref name="since"/>.</summary>
    public static List<SessionMetrics> Collect(TraceStore store, SessionAnalyzer analyzer, int limit, double? since, Action<string>? warn,
        CancellationToken cancellationToken = default)
    {
        if (limit < 1) throw new AgentStraceException($"Invalid --sessions {limit}: use a number of sessions >= 1 (default 50).");
        // Note: sessions still running are left out: their partial metrics would skew the baseline low.
        return store.List(since, null, warn, cancellationToken)
            .Where(s => s.Meta.EndedAt is not null)
            .Take(limit)
            .Select(s =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return analyzer.Analyze(s).Metrics; // the analyzer stops mid-session when it carries the same token
            })
            .ToList();
    }

    public static SessionBaseline Update(TraceStore store, SessionAnalyzer analyzer, int limit, double? since, string path, double now, Action<string>? warn,
        CancellationToken cancellationToken = default)
    {
        List<SessionMetrics> sessions = Collect(store, analyzer, limit, since, warn, cancellationToken);
        if (sessions.Count == 0)
        {
            throw new AgentStraceException($"No ended sessions in {store.DisplayRoot}{(since is null ? "" : " for --since")} to build a baseline from. Record sessions first.", ExitCodes.Usage);
        }
        SessionBaseline baseline = SessionBaseline.Build(sessions, now);
        cancellationToken.ThrowIfCancellationRequested(); // cancelled while building: the old baseline file stays
        BaselineJson.Save(path, baseline);
        return baseline;
    }
}
