using System.Buffers;
using System.Text.Json;
using AgentStrace.Json.Documents;
using AgentStrace.Output;

namespace AgentStrace.View;

/// <summary><c>stats</c> as text tables fitted to the width, or as JSON.</summary>
public static class StatsRenderer
{
    public static void Text(SessionStats s, Style style, IBufferWriter<byte> output)
    {
        string scope = s.Subagents > 0 ? $" (+{Units.Plural(s.Subagents, "sub-agent", "sub-agents")})" : "";
        Output.Text.Line(output, style.Bold(Cells.Fit(s.Title + scope, style.Width)));
        Line(output, style, $"Duration {Units.Duration(s.DurationSeconds * 1000)} · {Units.Plural(s.ToolCalls, "tool call", "tool calls")} · {Units.Plural(s.ModelCalls, "model call", "model calls")}");
        string errors = $"Errors   {Units.Count(s.Errors)} ({Units.Percent(s.ErrorRate)} of tool calls) · retries {Units.Count(s.Retries)} ({Units.Percent(s.RetryRate)})";
        Output.Text.Line(output, s.Errors > 0 ? style.Red(Cells.Fit(errors, style.Width)) : Cells.Fit(errors, style.Width));
        Output.Text.Line(output, "");

        int nameWidth = Math.Max(8, style.Width - 1 - 6 - 1 - 6 - 3 * (1 + 7));
        Output.Text.Line(output, style.Dim((Cells.PadRight("Tool", nameWidth) + " " + Cells.PadLeft("calls", 6) + " " + Cells.PadLeft("errors", 6)
            + " " + Cells.PadLeft("p50", 7) + " " + Cells.PadLeft("p95", 7) + " " + Cells.PadLeft("max", 7)).TrimEnd()));
        if (s.Tools.Count == 0) Output.Text.Line(output, "(no tool calls)");
        foreach (ToolStat t in s.Tools)
        {
            string errs = Cells.PadLeft(t.Errors > 0 ? Units.Count(t.Errors) : "-", 6);
            Output.Text.Line(output, Cells.PadRight(t.Name, nameWidth) + " " + Cells.PadLeft(Units.Count(t.Calls), 6) + " " + (t.Errors > 0 ? style.Red(errs) : errs)
                + " " + Cells.PadLeft(Units.Duration(t.P50Ms), 7) + " " + Cells.PadLeft(Units.Duration(t.P95Ms), 7) + " " + Cells.PadLeft(Units.Duration(t.MaxMs), 7));
        }
        Output.Text.Line(output, "");

        int modelWidth = Math.Max(8, style.Width - 6 - 1 - 3 * (1 + 10));
        Output.Text.Line(output, style.Dim((Cells.PadRight("Model", modelWidth) + " " + Cells.PadLeft("calls", 6) + " " + Cells.PadLeft("tokens in", 10)
            + " " + Cells.PadLeft("tokens out", 10) + " " + Cells.PadLeft("cost", 10)).TrimEnd()));
        foreach (ModelStat m in s.Models)
        {
            Output.Text.Line(output, Cells.PadRight(m.Model, modelWidth) + " " + Cells.PadLeft(Units.Count(m.Calls), 6) + " " + Cells.PadLeft(Units.Count(m.InputTokens), 10)
                + " " + Cells.PadLeft(Units.Count(m.OutputTokens), 10) + " " + style.Yellow(Cells.PadLeft(Units.Usd(m.Usd), 10)));
        }
        string total = Cells.PadRight("Total" + (s.CostEstimated ? " (estimated)" : ""), modelWidth) + " " + Cells.PadLeft(Units.Count(s.Models.Sum(m => m.Calls)), 6)
            + " " + Cells.PadLeft(Units.Count(s.InputTokens), 10) + " " + Cells.PadLeft(Units.Count(s.OutputTokens), 10) + " " + Cells.PadLeft(Units.Usd(s.CostUsd), 10);
        Output.Text.Line(output, style.Bold(total));
        Output.Text.Line(output, "");

        Line(output, style, $"Files    {Units.Plural(s.FilesWritten.Count, "written", "written")}, {Units.Count(s.FilesRead.Count)} read");
        foreach (string f in s.FilesWritten.Take(10)) Line(output, style, "  w " + f);
        foreach (string f in s.FilesRead.Take(10)) Line(output, style, "  r " + f);
        int more = Math.Max(0, s.FilesWritten.Count - 10) + Math.Max(0, s.FilesRead.Count - 10);
        if (more > 0) Line(output, style, $"  … {Units.Count(more)} more (--format json lists all)");
    }

    private static void Line(IBufferWriter<byte> output, Style style, string s) => Output.Text.Line(output, Cells.Fit(s, style.Width));

    public static void Json(SessionStats s, IBufferWriter<byte> output)
    {
        DocumentJson.Write(output, Document(s).Write);
        output.Write("\n"u8);
    }

    public static void Write(Utf8JsonWriter w, SessionStats s) => Document(s).Write(w);

    private static StatsDocument Document(SessionStats s) => new()
    {
        Title = s.Title,
        Sessions = s.Sessions,
        Subagents = s.Subagents,
        DurationSeconds = Math.Round(s.DurationSeconds, 3),
        ToolCalls = s.ToolCalls,
        ModelCalls = s.ModelCalls,
        Errors = s.Errors,
        ErrorRate = Math.Round(s.ErrorRate, 4),
        Retries = s.Retries,
        RetryRate = Math.Round(s.RetryRate, 4),
        InputTokens = s.InputTokens,
        OutputTokens = s.OutputTokens,
        CostUsd = Math.Round(s.CostUsd, 6),
        CostEstimated = s.CostEstimated,
        Tools = s.Tools.Select(t => new ToolStatDocument
        {
            Tool = t.Name, Calls = t.Calls, Errors = t.Errors, P50Ms = Math.Round(t.P50Ms, 3), P95Ms = Math.Round(t.P95Ms, 3), MaxMs = Math.Round(t.MaxMs, 3),
        }).ToList(),
        Models = s.Models.Select(m => new ModelStatDocument
        {
            Model = m.Model, Calls = m.Calls, InputTokens = m.InputTokens, OutputTokens = m.OutputTokens,
            CacheReadTokens = m.CacheReadTokens, CacheWriteTokens = m.CacheWriteTokens, CostUsd = Math.Round(m.Usd, 6),
        }).ToList(),
        FilesWritten = s.FilesWritten,
        FilesRead = s.FilesRead,
    };
}
