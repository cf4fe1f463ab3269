using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Analysis.Reports;
using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Output;
using AgentStrace.Store;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class CostCommands
{
    /// <summary>
    /// USD cost from recorded token usage, every billing tier per request (input, output, 5-minute and 1-hour cache
    /// writes, cache reads, long context, fast mode, web search); estimated where no usage was recorded. A session's
    /// sub-agents and compactions are included, each on its own row.
    /// Examples: agent-strace cost · agent-strace cost --all · agent-strace cost --by day --since 7d --breakdown ·
    /// agent-strace cost --by month --format csv
    /// </summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session).</param>
    /// <param name="all">Every session, one row each with sub-agents folded in (narrow with --since/--until).</param>
    /// <param name="by">One row per day, week, month, session, model, agent or project (implies --all unless a session is given).</param>
    /// <param name="breakdown">A row per model under each row.</param>
    /// <param name="noRollup">The session alone, without its sub-agents and compactions (with --all/--by session: one row per session).</param>
    /// <param name="since">From: 30d, 24h, 2026-01-31, epoch seconds (sessions started, or with --by requests made, at or after).</param>
    /// <param name="until">Until this time.</param>
    /// <param name="tz">Time zone for --by day/week/month: local (default), UTC or a zone name such as Europe/Berlin.</param>
    /// <param name="format">-f, text, json or csv.</param>
    /// <param name="model">Price every call at this model: sonnet, opus, haiku, gpt4, gpt4o or a pricing-table model.</param>
    /// <param name="inputPrice">Custom input price, USD per million tokens (with --output-price).</param>
    /// <param name="outputPrice">Custom output price, USD per million tokens (with --input-price).</param>
    /// <param name="pricing">JSON pricing file merged over the built-in table (after the user's and the store's pricing.json).</param>
    /// <param name="heuristic">Ignore recorded usage; use upstream's JSON-length/4 estimate (upstream-compatible figures).</param>
    public int Cost([Argument] string? sessionId = null, bool all = false, string? by = null, bool breakdown = false, bool noRollup = false,
        string? since = null, string? until = null, string? tz = null, string format = "text", string? model = null,
        double? inputPrice = null, double? outputPrice = null, string? pricing = null, bool heuristic = false,
        CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextJsonOrCsv.Parse(format, "cost");
        CostBy? grouping = by is null ? null : Choices.CostBy.Parse(by, "cost");
        TimeZoneInfo zone = CostByParser.TimeZone(tz);
        TraceStore store = Cli.OpenStore();
        PricingTable table = PricingTable.Load(store.Root, pricing);
        CostOptions options = CostOptions.FromFlags(table, model, inputPrice, outputPrice, heuristic);
        var request = new ExportRequest { SessionId = sessionId, All = all || (grouping is not null && string.IsNullOrEmpty(sessionId)), Since = since, Until = until };
        List<SessionInfo> listing = SessionSelection.ListStore(store, request, Output.Text.Warn);
        using var stdout = StreamBufferWriter.Stdout();

        if (grouping is null && !request.All)
        {
            return OneSession(store, listing, sessionId, options, table, view, breakdown, noRollup, stdout);
        }
        double? from = TimeBound.ParseOptional(since, "--since"), to = TimeBound.ParseOptional(until, "--until");
        List<SessionInfo> sessions;
        if (!string.IsNullOrEmpty(sessionId))
        {
            SessionInfo root = store.Find(sessionId, listing);
            sessions = noRollup ? [root] : Tree(root, listing);
        }
        else if (grouping is null && view == ViewFormat.Json)
        {
            // cost --all --format json: one entry per stored session (sessions started in the window), as before.
            var picked = SessionSelection.Resolve(store, request, Output.Text.Warn, listing);
            if (picked.Count == 0) throw NoneFound(store);
            var ledgers = SessionLedger.Build(picked, listing, options, m => Output.Text.Warn(m.ToString()), cancellationToken);
            WarnUnpriced(ledgers);
            CostReport.Json(Legacy(ledgers), table, stdout);
            return ExitCodes.Ok;
        }
        else sessions = listing;
        if (sessions.Count == 0) throw NoneFound(store);

        List<SessionLedger> all2 = SessionLedger.Build(sessions, listing, options, m => Output.Text.Warn(m.ToString()), cancellationToken);
        WarnUnpriced(all2);
        CostBy groupBy = grouping ?? CostBy.Session;
        var (rows, total) = CostReportBuilder.Build(all2, groupBy, zone, rollup: !noRollup && string.IsNullOrEmpty(sessionId), from, to);
        if (rows.Count == 0) throw NoneFound(store);
        string keyTitle = groupBy switch { CostBy.Session => "Session", CostBy.Day => "Date", CostBy.Week => "Week of", CostBy.Month => "Month", CostBy.Model => "Model", CostBy.Agent => "Agent", _ => "Project" };
        switch (view)
        {
            case ViewFormat.Json: CostTable.Json(rows, total, CostByParser.Name(groupBy), zone.Id, table, stdout); break;
            case ViewFormat.Csv: CostTable.Csv(rows, total, keyTitle, breakdown, stdout); break;
            default: CostTable.Text(rows, total, keyTitle, breakdown, Width(), table, stdout); break;
        }
        return ExitCodes.Ok;
    }

    /// <summary><c>cost [id]</c>: the session's own model table, then its sub-agents and compactions and the rolled-up total.</summary>
    private static int OneSession(TraceStore store, List<SessionInfo> listing, string? sessionId, CostOptions options, PricingTable table,
        ViewFormat view, bool breakdown, bool noRollup, StreamBufferWriter stdout)
    {
        SessionInfo session = string.IsNullOrEmpty(sessionId)
            ? listing.FirstOrDefault(s => s.Meta.ParentSessionId.Length == 0) ?? store.Latest(listing)
            : store.Find(sessionId, listing);
        List<SessionInfo> tree = noRollup ? [session] : Tree(session, listing);
        List<SessionLedger> ledgers = SessionLedger.Build(tree, listing, options, m => Output.Text.Warn(m.ToString()));
        WarnUnpriced(ledgers);
        if (view == ViewFormat.Json)
        {
            CostReport.Json(Legacy(ledgers), table, stdout);
            return ExitCodes.Ok;
        }
        var (rows, total) = CostReportBuilder.Build(ledgers, CostBy.Session, TimeZoneInfo.Utc, rollup: false);
        if (view == ViewFormat.Csv)
        {
            CostTable.Csv(rows, total, "Session", breakdown, stdout);
            return ExitCodes.Ok;
        }
        CostReport.Text(Legacy(ledgers.Take(1)), table, stdout, footer: tree.Count == 1);
        if (tree.Count > 1)
        {
            int children = tree.Count - 1;
            Output.Text.Line(stdout, $"Including its sub-agents and compactions ({children} session{(children == 1 ? "" : "s")}; --no-rollup for the session alone):");
            CostTable.Text(rows, total, "Session", breakdown, Width(), table, stdout);
            Output.Text.Line(stdout, "");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The session and every stored descendant (sub-agents, their sub-agents, compactions), parent first.</summary>
    private static List<SessionInfo> Tree(SessionInfo root, List<SessionInfo> listing)
    {
        var children = new Dictionary<string, List<SessionInfo>>(StringComparer.Ordinal);
        foreach (SessionInfo s in listing)
        {
            if (s.Meta.ParentSessionId.Length == 0) continue;
            if (!children.TryGetValue(s.Meta.ParentSessionId, out var list)) children[s.Meta.ParentSessionId] = list = [];
            list.Add(s);
        }
        var tree = new List<SessionInfo> { root };
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Id };
        for (int i = 0; i < tree.Count; i++)
        {
            if (!children.TryGetValue(tree[i].Id, out var list)) continue;
            foreach (SessionInfo c in list.OrderBy(c => c.Meta.StartedAt))
            {
                if (seen.Add(c.Id)) tree.Add(c);
            }
        }
        return tree;
    }

    private static List<(SessionMetrics, SessionCost)> Legacy(IEnumerable<SessionLedger> ledgers) =>
        ledgers.Select(l => (new SessionMetrics { SessionId = l.Session.Id, Agent = l.Agent }, l.Cost)).ToList();

    private static void WarnUnpriced(List<SessionLedger> ledgers)
    {
        foreach (string unpriced in ledgers.SelectMany(l => l.Cost.UnpricedModels).Distinct())
        {
            Output.Text.Warn($"no price for model '{unpriced}': its calls count as $0. Add its USD per million tokens to "
                + $"{Path.Combine(PricingTable.UserConfigDir(), "pricing.json")} ({{\"models\": {{\"{unpriced}\": {{\"input\": …, \"output\": …, \"cache_read\": …}}}}}}) or pass --pricing FILE.");
        }
    }

    private static SessionNotFoundException NoneFound(TraceStore store) =>
        new($"No sessions found in {store.DisplayRoot} for the given --since/--until.");

    /// <summary>The terminal's width; COLUMNS when output is redirected; 120 when neither is known.</summary>
    private static int Width()
    {
        if (!Console.IsOutputRedirected)
        {
            try
            {
                if (Console.WindowWidth > 0) return Console.WindowWidth;
            }
            catch (IOException) { }
        }
        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int c) && c > 20 ? c : 120;
    }
}
