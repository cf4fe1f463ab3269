using System.Buffers;
using AgentStrace.Output;

namespace AgentStrace.View;

/// <summary>
/// Draws a <see cref="SessionTimeline"/> as text: a header, one line per step (offset, type, what, result, duration,
/// tokens, cost) cut to the terminal width, sub-agents collapsed, inline or as a tree, and a footer with totals.
/// <c>replay</c> and <c>demo</c> both print through this one renderer.
/// </summary>
public sealed class TimelineRenderer(Style style, ReplayOptions options)
{
    private const int OffsetWidth = 9, LabelWidth = 8, DurationWidth = 6, TokensWidth = 10, CostWidth = 7;

    private bool ShowTokens => style.Width >= 72;
    private bool ShowCost => style.Width >= 56;

    private int DescriptionWidth =>
        style.Width - OffsetWidth - 1 - LabelWidth - 1 - 1 - DurationWidth - (ShowTokens ? 1 + TokensWidth : 0) - (ShowCost ? 1 + CostWidth : 0);

    public void Write(SessionTimeline root, IBufferWriter<byte> output)
    {
        WriteHeader(root, output);
        foreach (string line in Lines(root)) Text.Line(output, line);
        WriteFooter(ReplayTotals.Of(root), output);
    }

    public void WriteHeader(SessionTimeline root, IBufferWriter<byte> output)
    {
        var m = root.Session.Meta;
        string agent = m.AgentName.Length > 0 ? m.AgentName : "unknown agent";
        string title = $"Session {root.Session.Id} · {agent} · {Text.UtcTime(m.StartedAt)} UTC";
        Text.Line(output, style.Bold(Cells.Fit(title, style.Width)));
        string head = Cells.PadLeft("offset", OffsetWidth) + " " + Cells.PadRight("type", LabelWidth) + " " + Cells.PadRight("step → result", DescriptionWidth)
            + " " + Cells.PadLeft("took", DurationWidth) + (ShowTokens ? " " + Cells.PadLeft("tokens", TokensWidth) : "") + (ShowCost ? " " + Cells.PadLeft("cost", CostWidth) : "");
        Text.Line(output, style.Dim(head.TrimEnd()));
    }

    /// <summary>The step lines in order, without header or footer (used line by line by <c>replay --live</c>).</summary>
    public IEnumerable<(double Offset, string Line)> TimedLines(SessionTimeline root)
    {
        var lines = new List<(double, string)>();
        AddSession(root, 0, "", lines);
        return lines;
    }

    public IEnumerable<string> Lines(SessionTimeline root) => TimedLines(root).Select(l => l.Line);

    private void AddSession(SessionTimeline session, int indent, string treePrefix, List<(double, string)> lines)
    {
        bool expanded = options.Layout != SubagentLayout.Collapsed;
        // Rows drawn at this level: kept steps, and in the expanded layouts the steps whose sub-agents are drawn.
        var shown = session.Rows.Where(r => options.Keeps(r) || (expanded && r.Subagents.Count > 0)).ToList();
        for (int i = 0; i < shown.Count; i++)
        {
            TimelineRow row = shown[i];
            bool last = i == shown.Count - 1 && (!expanded || session.Orphans.Count == 0);
            string glyph = options.Layout == SubagentLayout.Tree ? treePrefix + (last ? "└─ " : "├─ ") : new string(' ', indent * 2);
            lines.Add((row.Offset, StepLine(row, glyph)));
            string childPrefix = treePrefix + (last ? "   " : "│  ");
            foreach (SessionTimeline sub in row.Subagents) AddSubagent(sub, indent, childPrefix, lines);
        }
        foreach (SessionTimeline sub in session.Orphans) AddSubagent(sub, indent, treePrefix, lines);
    }

    private void AddSubagent(SessionTimeline sub, int indent, string treePrefix, List<(double, string)> lines)
    {
        switch (options.Layout)
        {
            case SubagentLayout.Collapsed:
                lines.Add((SubOffset(sub), SubagentLine(sub, new string(' ', indent * 2) + "  ", "--expand-subagents")));
                break;
            case SubagentLayout.Inline:
                lines.Add((SubOffset(sub), SubagentLine(sub, new string(' ', (indent + 1) * 2), "")));
                AddSession(sub, indent + 1, "", lines);
                break;
            default:
                lines.Add((SubOffset(sub), SubagentLine(sub, treePrefix + "└─ ", "")));
                AddSession(sub, indent + 1, treePrefix + "   ", lines);
                break;
        }
    }

    private static double SubOffset(SessionTimeline sub) => sub.Rows.Count > 0 ? sub.Rows[0].Offset : 0;

    private string SubagentLine(SessionTimeline sub, string prefix, string hint)
    {
        ReplayTotals t = ReplayTotals.Of(sub);
        var m = sub.Session.Meta;
        string kind = m.Command.StartsWith("subagent: ", StringComparison.Ordinal) ? m.Command["subagent: ".Length..] : m.AgentName;
        string what = $"↳ sub-agent {sub.Session.Id} ({kind}): {Units.Plural(t.Steps, "step", "steps")}" + (t.Errors > 0 ? $", {Units.Plural(t.Errors, "error", "errors")}" : "")
            + (hint.Length > 0 ? $" · {hint}" : "");
        string tokens = t.InputTokens + t.OutputTokens > 0 ? Units.Tokens(t.InputTokens) + "→" + Units.Tokens(t.OutputTokens) : "";
        return Compose(SubOffset(sub), "agent", style.Magenta, prefix, Cells.Fit(what, Math.Max(1, DescriptionWidth - Cells.Width(prefix))), "", false,
            t.DurationSeconds * 1000, tokens, Units.Usd(t.CostUsd) + (t.CostEstimated ? "~" : ""));
    }

    private string StepLine(TimelineRow row, string prefix)
    {
        Func<string, string> labelColour = row.IsError ? style.Red
            : row.Type switch
            {
                "tool_call" or "tool_result" => style.Cyan,
                "llm_request" or "llm_response" => style.Magenta,
                "user_prompt" => style.Bold,
                "assistant_response" => style.Green,
                _ => style.Dim,
            };
        string left = row.Name.Length > 0 && row.Detail.Length > 0 ? row.Name + " " + row.Detail : row.Name + row.Detail;
        string result = row.Result.Length == 0 ? "" : row.Type is "llm_request" or "llm_response" ? " (" + row.Result + ")" : " → " + (row.IsError ? "✗ " : "") + row.Result;
        if (row.Open) result = " (no result)";
        string tokens = row.InputTokens is long i ? Units.Tokens(i) + "→" + Units.Tokens(row.OutputTokens ?? 0) : "";
        string cost = row.CostUsd is double usd ? Units.Usd(usd) + (row.CostEstimated ? "~" : "") : "";
        return Compose(row.Offset, row.Label, labelColour, prefix, left, result, row.IsError, row.DurationMs, tokens, cost);
    }

    private string Compose(double offset, string label, Func<string, string> labelColour, string prefix, string left, string result, bool error,
        double? durationMs, string tokens, string cost)
    {
        int avail = Math.Max(1, DescriptionWidth - Cells.Width(prefix));
        // The result keeps up to half the space so "→ exit 1" survives a long command; the step takes the rest.
        int resultWidth = Math.Min(Cells.Width(result), Math.Max(avail / 2, avail - Cells.Width(left)));
        string leftCut = Cells.Fit(left, avail - resultWidth);
        string resultCut = Cells.Fit(result, avail - Cells.Width(leftCut));
        int pad = avail - Cells.Width(leftCut) - Cells.Width(resultCut);
        string description = style.Dim(prefix) + leftCut + (error ? style.Red(resultCut) : style.Dim(resultCut)) + new string(' ', pad);
        string line = style.Dim(Cells.PadLeft(Units.Offset(offset), OffsetWidth)) + " " + Colour(Cells.PadRight(label, LabelWidth), labelColour) + " " + description
            + " " + Cells.PadLeft(durationMs is double d ? Units.Duration(d) : "", DurationWidth)
            + (ShowTokens ? " " + Cells.PadLeft(tokens, TokensWidth) : "")
            + (ShowCost ? " " + Colour(Cells.PadLeft(cost, CostWidth), style.Yellow) : "");
        return line.TrimEnd();
    }

    // Colours the text, not the padding around it, so a line never ends in coloured blanks.
    private static string Colour(string padded, Func<string, string> colour)
    {
        string core = padded.Trim();
        if (core.Length == 0) return padded;
        int start = padded.IndexOf(core, StringComparison.Ordinal);
        return padded[..start] + colour(core) + padded[(start + core.Length)..];
    }

    public void WriteFooter(ReplayTotals t, IBufferWriter<byte> output)
    {
        Text.Line(output, style.Dim(new string('─', Math.Min(style.Width, 80))));
        string errors = Units.Plural(t.Errors, "error", "errors");
        string sub = t.Subagents > 0 ? $" (incl. {Units.Plural(t.Subagents, "sub-agent", "sub-agents")})" : "";
        Line(output, $"Total    {Units.Duration(t.DurationSeconds * 1000)} · {Units.Plural(t.ToolCalls, "tool call", "tool calls")} · "
            + $"{Units.Plural(t.ModelCalls, "model call", "model calls")} · {errors}{sub}", t.Errors > 0 ? errors : "", style.Red);
        if (t.InputTokens + t.OutputTokens > 0)
        {
            string cache = t.CacheReadTokens + t.CacheWriteTokens > 0
                ? $" (of which {Units.Tokens(t.CacheReadTokens)} cache reads, {Units.Tokens(t.CacheWriteTokens)} cache writes)" : "";
            Line(output, $"Tokens   {Units.Count(t.InputTokens)} in{cache} · {Units.Count(t.OutputTokens)} out", "", style.Dim);
        }
        string models = t.Models.Count > 1 ? " (" + string.Join(", ", t.Models.Select(m => $"{m.Model} {Units.Usd(m.Usd)}")) + ")" : t.Models.Count == 1 ? " (" + t.Models[0].Model + ")" : "";
        string estimated = t.CostEstimated ? ", estimated" : "";
        Line(output, $"Cost     {Units.Usd(t.CostUsd)}{models}{estimated}", Units.Usd(t.CostUsd), style.Yellow);
    }

    /// <summary>A footer line cut to the width, with its first <paramref name="highlight"/> coloured after the cut.</summary>
    private void Line(IBufferWriter<byte> output, string plain, string highlight, Func<string, string> colour)
    {
        string fitted = Cells.Fit(plain, style.Width);
        int at = highlight.Length > 0 ? fitted.IndexOf(highlight, StringComparison.Ordinal) : -1;
        Text.Line(output, at < 0 ? fitted : fitted[..at] + colour(highlight) + fitted[(at + highlight.Length)..]);
    }
}
