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
        if (format is not ("text" or "json")) throw new AgentStraceException($"Unknown --format '{format}' for replay: use text or json.");
        if (!(speed > 0) || double.IsInfinity(speed)) throw new AgentStraceException($"--speed must be a number above 0 (got {speed}).");
        if (expandSubagents && tree) throw new AgentStraceException("--expand-subagents and --tree are two layouts: pick one.");
        var options = new ReplayOptions
        {
            Layout = tree ? SubagentLayout.Tree : expandSubagents ? SubagentLayout.Inline : SubagentLayout.Collapsed,
            Filter = ReplayOptions.ParseFilter(filter),
        };
        Style style = Terminal.Style(width, color);
        TraceStore store = Cli.OpenStore();
        SessionTimeline timeline = Views.Timeline(store, sessionId);
        using var stdout = StreamBufferWriter.Stdout();
        if (format == "json")
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
}

/// <summary>Session lookup and pricing shared by replay, stats and diff.</summary>
internal static class Views
{
    public static SessionTimeline Timeline(TraceStore store, string? sessionId)
    {
        List<SessionInfo> listing = store.List(Text.Warn);
        SessionInfo session = string.IsNullOrEmpty(sessionId) ? store.Latest(listing) : store.Find(sessionId, listing);
        return SessionTimeline.BuildTree(session, listing, Pricing(store), m => Text.Warn(m.ToString()));
    }

    public static CostOptions Pricing(TraceStore store) => CostOptions.Default(PricingTable.Load(store.Root, null));
}
