using System.Buffers;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Json.Documents;

namespace AgentStrace.Compliance;

/// <summary>Upstream's readiness text and JSON, plus what to do about each failing check.</summary>
public static class ReadinessView
{
    public static void Text(ReadinessReport r, IBufferWriter<byte> output)
    {
        Line(output, "EU AI Act readiness check");
        Line(output, "─────────────────────────");
        Line(output, $"Sessions analysed: {r.SessionCount}");
        Line(output, $"{(r.IntegrityOk ? "OK" : "FAIL")} Hash chain integrity: {r.CheckedSessions} sessions checked");
        Hint(output, r.IntegrityOk, IntegrityAction(r));
        if (!r.LinesOk)
        {
            Line(output, $"WARN Line integrity: {r.DamagedLineCount} line(s) are not events");
            foreach (var (session, line, torn) in r.DamagedLines.Take(10))
            {
                Line(output, $"     {session} line {line}: {(torn ? "torn tail, crash during append" : "not a JSON event, skipped")}");
            }
            Hint(output, false, LinesAction(r));
        }
        Line(output, $"{(r.RetentionOk ? "OK" : "WARN")} Retention coverage: {PyFloat.Format(PyFloat.Round(r.AvailableDays, 2))} / {PyFloat.Format(r.RequiredDays)} days");
        Hint(output, r.RetentionOk, RetentionAction(r));
        Line(output, $"{(r.ContinuityOk ? "OK" : "WARN")} Timestamp continuity: {r.Gaps.Count} gaps over 24h");
        Hint(output, r.ContinuityOk, ContinuityAction(r));
        Line(output, $"{(r.PresenceOk ? "OK" : "WARN")} Hash chain presence: {r.MissingPrevHashes.Count} legacy sessions");
        Hint(output, r.PresenceOk, PresenceAction(r));
        Line(output, "");
        Line(output, $"Compliance score: {r.Score}/100");
    }

    public static void Json(ReadinessReport r, IBufferWriter<byte> output) => ChainReport.Write(new ReadinessDocument
    {
        GeneratedAt = PyTime.Iso(r.GeneratedAt),
        SessionCount = r.SessionCount,
        Checks = new ReadinessChecksDocument
        {
            HashChainIntegrity = new()
            {
                Ok = r.IntegrityOk, Action = r.IntegrityOk ? null : IntegrityAction(r),
                CheckedSessions = r.CheckedSessions, BrokenSessions = r.BrokenSessions,
            },
            LineIntegrity = new()
            {
                Ok = r.LinesOk, Action = r.LinesOk ? null : LinesAction(r), DamagedLines = r.DamagedLineCount,
                Lines = r.DamagedLines.Select(d => new DamagedLineDocument { SessionId = d.Session, Line = d.Line, Kind = d.Torn ? "torn_tail" : "unparsable" }).ToList(),
            },
            RetentionCoverage = new()
            {
                Ok = r.RetentionOk, Action = r.RetentionOk ? null : RetentionAction(r),
                RequiredDays = r.RequiredDays, AvailableDays = PyFloat.Round(r.AvailableDays, 2),
            },
            TimestampContinuity = new()
            {
                Ok = r.ContinuityOk, Action = r.ContinuityOk ? null : ContinuityAction(r),
                GapsOver24h = r.Gaps.Select(g => new GapDocument { FromSession = g.From, ToSession = g.To, GapHours = g.GapHours }).ToList(),
            },
            HashChainPresence = new()
            {
                Ok = r.PresenceOk, Action = r.PresenceOk ? null : PresenceAction(r), SessionsMissingPrevHashes = r.MissingPrevHashes,
            },
        },
        ComplianceScore = r.Score,
        Ready = r.Ready,
    }.Write, output);

    public static string IntegrityAction(ReadinessReport r) =>
        $"Broken chains in {Ids(r.BrokenSessions)}: run 'agent-strace verify <id>' to find the first altered line, restore events.ndjson from a backup or an earlier export, and record the incident; the store is not ready until every chain verifies.";

    public static string LinesAction(ReadinessReport r) =>
        "Lines that are not events are skipped by the chain: a torn tail comes from a writer killed mid-append (the next append starts a new line, nothing else is lost); any other garbage line was written by something else: find out what, and keep the line for the record.";

    public static string RetentionAction(ReadinessReport r) => r.SessionCount == 0
        ? "No sessions recorded: record agent sessions (e.g. 'agent-strace setup' for Claude Code hooks) before exporting evidence."
        : $"The oldest session is {PyFloat.Format(PyFloat.Round(r.AvailableDays, 2))} days old, {PyFloat.Format(r.RequiredDays)} are required: keep (and back up) sessions for the whole retention period, or pass --retention-days to match your documented policy.";

    public static string ContinuityAction(ReadinessReport r) =>
        $"{r.Gaps.Count} gap(s) over 24h between session starts (first: {(r.Gaps.Count > 0 ? $"{r.Gaps[0].From} → {r.Gaps[0].To}, {PyFloat.Format(r.Gaps[0].GapHours)} h" : "")}): document periods without agent activity, or check that recording was enabled throughout.";

    public static string PresenceAction(ReadinessReport r) =>
        $"Sessions without prev_hash links (recorded before v0.62): {Ids(r.MissingPrevHashes)}; their lines are not tamper-evident: export them now and keep the package's manifest hash elsewhere, and record new sessions with this version.";

    private static string Ids(List<string> ids) => ids.Count <= 5 ? string.Join(", ", ids) : string.Join(", ", ids.Take(5)) + $" and {ids.Count - 5} more";

    private static void Hint(IBufferWriter<byte> output, bool ok, string action)
    {
        if (!ok) Line(output, "     → " + action);
    }

    private static void Line(IBufferWriter<byte> output, string s) => Output.Text.Line(output, s);
}
