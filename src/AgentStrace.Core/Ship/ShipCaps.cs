using System.Globalization;
using AgentStrace.Config;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Ship;

/// <summary>
/// The outbox's limits while the collector stays away: hand-overs older than <see cref="ShipConfig.MaxAgeDays"/>, and
/// the oldest sessions once the unsent events pass <see cref="ShipConfig.MaxMb"/>, are dropped from the outbox with a
/// warning (in the log and <c>ship --status</c>). Nothing else is ever dropped, and the sessions themselves stay in
/// the local store, where <c>export</c> can still send them.
/// </summary>
internal static class ShipCaps
{
    public static List<OutboxEntry> Apply(List<OutboxEntry> entries, ShipContext ctx, ShipConfig config)
    {
        if (entries.Count == 0) return entries;
        double now = Clock.Now();
        var groups = entries.GroupBy(e => e.SessionId, StringComparer.Ordinal).Select(g => g.ToList()).ToList(); // oldest first
        var keep = new List<List<OutboxEntry>>();
        foreach (List<OutboxEntry> g in groups)
        {
            double age = now - g.Min(e => e.At);
            if (config.MaxAgeDays > 0 && age > config.MaxAgeDays * 86400) Drop(ctx, g, $"older than {config.MaxAgeDays.ToString("0.##", CultureInfo.InvariantCulture)} days");
            else keep.Add(g);
        }
        long cap = (long)(config.MaxMb * 1024 * 1024);
        long pending = keep.Sum(Pending);
        while (cap > 0 && pending > cap && keep.Count > 1)
        {
            pending -= Pending(keep[0]);
            Drop(ctx, keep[0], $"the unsent events passed {config.MaxMb.ToString("0.##", CultureInfo.InvariantCulture)} MB");
            keep.RemoveAt(0);
        }
        return keep.SelectMany(g => g).ToList();

        long Pending(List<OutboxEntry> g) => Math.Max(0, g.Max(e => e.Offset) - ctx.State.Get(g[0].SessionId).Offset);
    }

    private static void Drop(ShipContext ctx, List<OutboxEntry> g, string why)
    {
        string id = g[0].SessionId;
        string warning = $"outbox cap: session {id} is no longer queued for shipping ({why}); it stays in the local store ('agent-strace export {id} --endpoint URL' sends it)";
        ctx.Warn(warning);
        ctx.State.Dropped(g.Count, warning);
        foreach (OutboxEntry e in g) Outbox.Remove(e);
    }
}
