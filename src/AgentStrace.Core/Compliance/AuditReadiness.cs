using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Compliance;

/// <summary>
/// <c>audit-readiness</c>, as upstream computes it: chain integrity, retention coverage, timestamp continuity and chain presence
/// over every session, one streamed pass per session. "Now" is injected so the age maths is testable.
/// </summary>
public static class AuditReadiness
{
    public const double DayS = 86400;

    public static ReadinessReport Build(TraceStore store, double retentionDays, double now, Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        List<SessionInfo> sessions = store.List(warn);
        var report = new ReadinessReport { GeneratedAt = now, SessionCount = sessions.Count, RequiredDays = retentionDays };
        // Sessions are walked in parallel (each one streamed once) and reported in listing order.
        var results = new (ChainResult Chain, bool Unlinked)[sessions.Count];
        Workers.For(sessions.Count, Environment.ProcessorCount, i => results[i] = Walk(sessions[i]), cancellationToken);
        for (int i = 0; i < sessions.Count; i++)
        {
            SessionInfo s = sessions[i];
            (ChainResult chain, bool unlinked) = results[i];
            report.CheckedSessions++;
            if (!chain.Ok) report.BrokenSessions.Add(s.Id);
            if (unlinked) report.MissingPrevHashes.Add(s.Id);
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

    /// <summary>The session's chain, and whether it has more than one event and none after the first carries a prev_hash.</summary>
    private static (ChainResult Chain, bool Unlinked) Walk(SessionInfo s)
    {
        if (!File.Exists(s.EventsPath)) return (ChainVerifier.Verify(s), false);
        var walker = new ChainWalker();
        int events = 0;
        bool linked = false;
        using (LineReader lines = ChainVerifier.OpenLines(s.EventsPath, long.MaxValue))
        {
            while (lines.MoveNext())
            {
                ReadOnlySpan<byte> raw = lines.Current.Span;
                walker.Add(raw, lines.LineNumber, lines.CurrentTerminated);
                // Once a later event is linked the answer is known: the remaining lines are only hashed, not parsed.
                if (linked) continue;
                ReadOnlySpan<byte> line = LineFields.Normalize(raw);
                if (LineFields.IsBlank(line)) continue;
                TraceEvent? e = EventLine.TryParse(line, lines.LineNumber, out _);
                if (e is null) continue;
                if (events++ > 0 && e.PrevHash.Length > 0) linked = true;
            }
        }
        return (walker.Result(s.Id), events > 1 && !linked);
    }
}
