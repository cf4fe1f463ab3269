using AgentStrace.Ship;

namespace AgentStrace.Doctor;

/// <summary>
/// The shipping state (<c>setup --ship-to</c>): passes while the outbox drains; fails when nothing was delivered since a
/// recent error while hand-overs wait, or when the outbox backs up (an old or large queue); skipped when not set up.
/// Reads the state file only: the shipper's own attempts are the probe, so doctor sends nothing here.
/// </summary>
internal static class DoctorShip
{
    private const string Check = "shipping";
    private static readonly TimeSpan s_recentError = TimeSpan.FromHours(24);
    /// <summary>A working shipper empties the outbox within seconds of a hand-over; an hour means it does not.</summary>
    public static readonly TimeSpan BackedUpAge = TimeSpan.FromHours(1);
    public const int BackedUpEntries = 500;

    public static Task<IEnumerable<DoctorLine>> State(DoctorContext c, CancellationToken cancellationToken)
    {
        ShipStatus.Snapshot s = ShipStatus.Read(c.Store.Root);
        string setupFix = "agent-strace setup --global --ship-to URL";
        if (s.Target.Length == 0)
        {
            return Lines(s.Problem.Length > 0
                ? new DoctorLine(Check, CheckState.Fail, s.Problem, $"fix {s.ConfigPath}, or run: {setupFix}")
                : new DoctorLine(Check, CheckState.Skip, "not set up (sessions stay local)", "to ship them: " + setupFix));
        }
        // ShipStatus.Line starts "shipping to URL: …"; the check's name already says "shipping".
        string message = ShipStatus.Line(s)["shipping ".Length..];
        if (s.Problem.Length > 0) return Lines(new DoctorLine(Check, CheckState.Fail, s.Problem, "see 'agent-strace ship --status'"));
        double now = c.Now.ToUnixTimeMilliseconds() / 1000.0;
        bool failing = s.Entries > 0 && s.LastErrorAt > s.LastSuccessAt && now - s.LastErrorAt < s_recentError.TotalSeconds;
        bool backedUp = s.Entries >= BackedUpEntries || (s.Entries > 0 && now - s.OldestAt > BackedUpAge.TotalSeconds);
        if (failing || backedUp)
        {
            string why = failing ? "" : s.Entries >= BackedUpEntries ? $" (backed up: {BackedUpEntries} or more hand-overs)" : $" (backed up: queued for over {BackedUpAge.TotalHours:0} h)";
            return Lines(new DoctorLine(Check, CheckState.Fail, message + why,
                $"check that the collector at {s.Target} is up and reachable (and the headers' variables are set), then run: agent-strace ship --wait --timeout 60s"));
        }
        return Lines(new DoctorLine(Check, CheckState.Ok, message));
    }

    private static Task<IEnumerable<DoctorLine>> Lines(params DoctorLine[] lines) => Task.FromResult<IEnumerable<DoctorLine>>(lines);
}
