namespace AgentStrace.Analysis.Reports;

/// <summary>Groups priced requests into report rows and a total.</summary>
public static class CostReportBuilder
{
    /// <param name="rollup">For <see cref="CostBy.Session"/>: fold sub-agents and compactions into their root session.</param>
    /// <param name="since">Only requests at or after (epoch seconds).</param>
    /// <param name="until">Only requests at or before (epoch seconds).</param>
    public static (List<CostGroup> Rows, CostGroup Total) Build(IEnumerable<SessionLedger> ledgers, CostBy by, TimeZoneInfo tz, bool rollup,
        double? since = null, double? until = null)
    {
        var rows = new Dictionary<string, CostGroup>(StringComparer.Ordinal);
        var total = new CostGroup("Total");
        foreach (SessionLedger l in ledgers)
        {
            string sessionKey = rollup ? l.RootId : l.Session.Id;
            foreach (PricedCall raw in l.Calls)
            {
                // A heuristic estimate has no request time: it counts at the session's start.
                PricedCall call = double.IsNaN(raw.Timestamp) ? raw with { Timestamp = l.Session.Meta.StartedAt } : raw;
                if ((since is { } s && call.Timestamp < s) || (until is { } u && call.Timestamp > u)) continue;
                string key = by switch
                {
                    CostBy.Session => sessionKey,
                    CostBy.Day => Local(call.Timestamp, tz).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    CostBy.Week => WeekStart(Local(call.Timestamp, tz)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    CostBy.Month => Local(call.Timestamp, tz).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                    CostBy.Model => call.Model,
                    CostBy.Agent => l.Agent,
                    _ => l.Project.Length > 0 ? l.Project : "(unknown)",
                };
                if (!rows.TryGetValue(key, out CostGroup? row))
                {
                    rows[key] = row = new CostGroup(key);
                    if (by == CostBy.Session) row.Note = rollup ? "" : l.Kind;
                }
                row.Add(call, l.Session.Id);
                total.Add(call, l.Session.Id);
            }
        }
        if (by == CostBy.Session && rollup)
        {
            foreach (CostGroup row in rows.Values)
            {
                int children = row.Sessions.Count(id => id != row.Key);
                if (children > 0) row.Note = $"+{children} sub";
            }
        }
        IEnumerable<CostGroup> ordered = by switch
        {
            CostBy.Day or CostBy.Week or CostBy.Month => rows.Values.OrderBy(r => r.Key, StringComparer.Ordinal),
            CostBy.Session => rows.Values.OrderBy(r => double.IsNaN(r.First) ? double.MaxValue : r.First).ThenBy(r => r.Key, StringComparer.Ordinal),
            _ => rows.Values.OrderByDescending(r => r.Usd).ThenBy(r => r.Key, StringComparer.Ordinal),
        };
        return (ordered.ToList(), total);
    }

    private static DateTime Local(double epoch, TimeZoneInfo tz) => TimeZoneInfo.ConvertTimeFromUtc(Model.Clock.ToUtc(epoch), tz);

    /// <summary>The Monday starting the ISO week of <paramref name="day"/>.</summary>
    private static DateTime WeekStart(DateTime day) => day.Date.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
