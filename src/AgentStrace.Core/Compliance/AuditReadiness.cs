using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Store;

namespace AgentStrace.Compliance;

/// <summary>
/// <c>audit-readiness</c> (spec §5.4): chain integrity, retention coverage, timestamp continuity and chain presence
/// over every session, one streamed pass per session. "Now" is injected so the age maths is testable.
/// </summary>
public static class AuditReadiness
{
    public const double DayS = 86400;

    public static ReadinessReport Build(TraceStore store, double retentionDays, double now, Action<string>? warn = null)
    {
        List<SessionInfo> sessions = store.List(warn);
        var report = new ReadinessReport { GeneratedAt = now, SessionCount = sessions.Count, RequiredDays = retentionDays };
        foreach (SessionInfo s in sessions)
        {
            var walker = new ChainWalker();
            int events = 0;
            bool linked = false;
            EventLines.ForEach(s.EventsPath, long.MaxValue, (e, _, _) =>
            {
                if (events++ > 0 && e.PrevHash.Length > 0) linked = true;
            }, walker);
            ChainResult chain = File.Exists(s.EventsPath) ? walker.Result(s.Id) : ChainVerifier.Verify(s);
            report.CheckedSessions++;
            if (!chain.Ok) report.BrokenSessions.Add(s.Id);
            if (events > 1 && !linked) report.MissingPrevHashes.Add(s.Id);
            report.DamagedLineCount += chain.UnparsableLines;
            foreach (long line in chain.UnparsableLineNumbers) report.DamagedLines.Add((s.Id, line, line == chain.TornTailLine));
        }
        double oldest = sessions.Count > 0 ? sessions.Min(s => s.Meta.StartedAt) : 0;
        report.AvailableDays = oldest != 0 ? (now - oldest) / DayS : 0.0;
        SessionInfo? previous = null;
        foreach (SessionInfo s in sessions.OrderBy(s => s.Meta.StartedAt))
        {
            if (previous is not null && s.Meta.StartedAt - previous.Meta.StartedAt > DayS)
            {
                report.Gaps.Add((previous.Id, s.Id, PyFloat.Round((s.Meta.StartedAt - previous.Meta.StartedAt) / 3600, 2)));
            }
            previous = s;
        }
        return report;
    }
}
