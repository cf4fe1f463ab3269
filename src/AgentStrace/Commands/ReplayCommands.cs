using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Output;
using AgentStrace.Store;
using AgentStrace.View;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class ReplayCommands
{
    /// <summary>
    /// Replay a session on the terminal: one line per step (offset, type, the tool and its key argument, the result,
    /// duration, tokens and cost per model call), errors marked, then the totals.
    /// Examples: agent-strace replay · agent-strace replay d3m0 --expand-subagents · agent-strace replay --filter tool_call,error ·
    /// agent-strace replay --live --speed 4 · agent-strace replay --format json
    /// </summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session).</param>
    /// <param name="expandSubagents">Show each sub-agent's steps inline under the tool call that started it.</param>
    /// <param name="tree">Draw the session, its steps and its sub-agents as a tree.</param>
    /// <param name="filter">Only these step types, comma-separated: tool_call, llm_request, user_prompt, assistant_response, file_write, error (any failed step), ...</param>
    /// <param name="live">Print the steps at the pace they were recorded (waits are capped at 2 s; Ctrl-C stops).</param>
    /// <param name="speed">With --live: play this many times faster.</param>
    /// <param name="format">-f, text or json.</param>
    /// <param name="width">Fit this many columns (default: the terminal's, else $COLUMNS, else 120).</param>
    /// <param name="color">auto (a terminal, unless NO_COLOR is set), always or never.</param>
    public async Task<int> Replay([Argument] string? sessionId = null, bool expandSubagents = false, bool tree = false, string? filter = null,
        bool live = false, double speed = 1, string format = "text", int? width = null, string color = "auto", CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextOrJson.Parse(format, "replay");
        if (!(speed > 0) || double.IsInfinity(speed)) throw new AgentStraceException($"--speed must be a number above 0 (got {speed}).");
        if (expandSubagents && tree) throw new AgentStraceException("--expand-subagents and --tree are two layouts: pick one.");
        var options = new ReplayOptions
        {
            Layout = tree ? SubagentLayout.Tree : expandSubagents ? SubagentLayout.Inline : SubagentLayout.Collapsed,
            Filter = ReplayOptions.ParseFilter(filter),
        };
        Style style = Terminal.Style(width, Choices.Color.Parse(color));
        TraceStore store = Cli.OpenStore();
        SessionTimeline timeline = Views.Timeline(store, sessionId, cancellationToken);
        using var stdout = StreamBufferWriter.Stdout();
        if (view == ViewFormat.Json)
        {
            TimelineJson.Write(timeline, options, stdout);
            return ExitCodes.Ok;
        }
        var renderer = new TimelineRenderer(style, options);
        if (!live)
        {
            renderer.Write(timeline, stdout);
            return ExitCodes.Ok;
        }
        renderer.WriteHeader(timeline, stdout);
        stdout.Flush();
        double previous = 0;
        try
        {
            foreach (var (offset, line) in renderer.TimedLines(timeline))
            {
                double wait = Math.Clamp((offset - previous) / speed, 0, 2);
                previous = Math.Max(previous, offset);
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
                Text.Line(stdout, line);
                stdout.Flush();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Text.Line(stdout, style.Dim("(replay stopped)"));
            stdout.Flush();
            return ExitCodes.Cancelled;
        }
        renderer.WriteFooter(ReplayTotals.Of(timeline), stdout);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Statistics of a session with its sub-agents, or of every session in a time window: tool frequency and durations
    /// (p50/p95/max), error and retry rates, files touched, tokens and cost by model.
    /// Examples: agent-strace stats · agent-strace stats d3m0 · agent-strace stats --all --since 7d · agent-strace stats --all --format json
    /// </summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session).</param>
    /// <param name="all">Every top-level session (narrow with --since/--until), sub-agents rolled up.</param>
    /// <param name="since">With --all: sessions started at or after 7d, 24h, 2026-01-31 or epoch seconds.</param>
    /// <param name="until">With --all: sessions started at or before this time.</param>
    /// <param name="format">-f, text or json.</param>
    /// <param name="width">Fit this many columns (default: the terminal's, else $COLUMNS, else 120).</param>
    /// <param name="color">auto (a terminal, unless NO_COLOR is set), always or never.</param>
    public int Stats([Argument] string? sessionId = null, bool all = false, string? since = null, string? until = null, string format = "text",
        int? width = null, string color = "auto", CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextOrJson.Parse(format, "stats");
        if (all && !string.IsNullOrEmpty(sessionId)) throw new AgentStraceException("Give a session id or --all, not both.");
        if (!all && (since is not null || until is not null)) throw new AgentStraceException("--since/--until select sessions for --all: add --all, or give a session id.");
        Style style = Terminal.Style(width, Choices.Color.Parse(color));
        TraceStore store = Cli.OpenStore();
        SessionStats stats;
        if (all)
        {
            double? from = TimeBound.ParseOptional(since, "--since"), to = TimeBound.ParseOptional(until, "--until");
            List<SessionInfo> listing = store.List(Text.Warn, cancellationToken);
            if (listing.Count == 0) store.Latest(listing); // the empty-store message
            var ids = listing.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var roots = TraceStore.Within(listing, from, to)
                .Where(s => s.Meta.ParentSessionId.Length == 0 || s.Meta.ParentSessionId == s.Id || !ids.Contains(s.Meta.ParentSessionId)).ToList();
            if (roots.Count == 0) throw new SessionNotFoundException($"No sessions found in {store.DisplayRoot} for the given --since/--until.");
            CostOptions pricing = Views.Pricing(store);
            var timelines = roots.Select(r => SessionTimeline.BuildTree(r, listing, pricing, m => Text.Warn(m.ToString()), cancellationToken)).ToList();
            string window = since is null && until is null ? "" : $" ({(since is null ? "" : "since " + since)}{(since is not null && until is not null ? ", " : "")}{(until is null ? "" : "until " + until)})";
            stats = SessionStats.Of($"{Units.Plural(roots.Count, "session", "sessions")} in {store.DisplayRoot}{window}", timelines);
        }
        else
        {
            SessionTimeline timeline = Views.Timeline(store, sessionId, cancellationToken);
            stats = SessionStats.Of($"Session {timeline.Session.Id} · {timeline.Session.Meta.AgentName} · {Text.UtcTime(timeline.Session.Meta.StartedAt)} UTC", [timeline]);
        }
        using var stdout = StreamBufferWriter.Stdout();
        if (view == ViewFormat.Json) StatsRenderer.Json(stats, stdout);
        else StatsRenderer.Text(stats, style, stdout);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Compare two sessions side by side (tools and their counts, tokens, cost, duration, errors, files, models), each
    /// with its sub-agents, and say in one line which did better.
    /// Examples: agent-strace diff 9f1c d3m0 · agent-strace diff 9f1c d3m0 --format json
    /// </summary>
    /// <param name="a">The first session (id or unique prefix).</param>
    /// <param name="b">The second session (id or unique prefix).</param>
    /// <param name="format">-f, text or json.</param>
    /// <param name="width">Fit this many columns (default: the terminal's, else $COLUMNS, else 120).</param>
    /// <param name="color">auto (a terminal, unless NO_COLOR is set), always or never.</param>
    public int Diff([Argument] string a, [Argument] string b, string format = "text", int? width = null, string color = "auto",
        CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextOrJson.Parse(format, "diff");
        Style style = Terminal.Style(width, Choices.Color.Parse(color));
        TraceStore store = Cli.OpenStore();
        List<SessionInfo> listing = store.List(Text.Warn, cancellationToken);
        SessionTimeline ta = Views.Timeline(store, a, listing, cancellationToken), tb = Views.Timeline(store, b, listing, cancellationToken);
        SessionStats sa = SessionStats.Of($"{ta.Session.Id} · {ta.Session.Meta.AgentName} · {Text.UtcTime(ta.Session.Meta.StartedAt)} UTC", [ta]);
        SessionStats sb = SessionStats.Of($"{tb.Session.Id} · {tb.Session.Meta.AgentName} · {Text.UtcTime(tb.Session.Meta.StartedAt)} UTC", [tb]);
        using var stdout = StreamBufferWriter.Stdout();
        if (view == ViewFormat.Json) SessionDiff.Json(sa, sb, stdout);
        else SessionDiff.Text(sa, sb, style, stdout);
        return ExitCodes.Ok;
    }
}

/// <summary>Session lookup and pricing shared by replay, stats and diff.</summary>
internal static class Views
{
    public static SessionTimeline Timeline(TraceStore store, string? sessionId, CancellationToken cancellationToken = default) =>
        Timeline(store, sessionId, store.List(Text.Warn, cancellationToken), cancellationToken);

    public static SessionTimeline Timeline(TraceStore store, string? sessionId, List<SessionInfo> listing, CancellationToken cancellationToken)
    {
        SessionInfo session = string.IsNullOrEmpty(sessionId) ? store.Latest(listing) : store.Find(sessionId, listing);
        return SessionTimeline.BuildTree(session, listing, Pricing(store), m => Text.Warn(m.ToString()), cancellationToken);
    }

    public static CostOptions Pricing(TraceStore store) => CostOptions.Default(PricingTable.Load(store.Root, null));
}
