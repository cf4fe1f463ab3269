using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgentStrace.Output;

namespace AgentStrace.View;

/// <summary><c>diff a b</c>: two sessions' <see cref="SessionStats"/> side by side, with a one-line verdict.</summary>
public static class SessionDiff
{
    private sealed record Metric(string Name, double A, double B, Func<double, string> Format, bool LowerIsBetter = true);

    private static List<Metric> Metrics(SessionStats a, SessionStats b)
    {
        var list = new List<Metric>
        {
            new("duration", a.DurationSeconds, b.DurationSeconds, s => Units.Duration(s * 1000)),
            new("tool calls", a.ToolCalls, b.ToolCalls, Count),
            new("errors", a.Errors, b.Errors, Count),
            new("retries", a.Retries, b.Retries, Count),
            new("model calls", a.ModelCalls, b.ModelCalls, Count),
            new("tokens in", a.InputTokens, b.InputTokens, Count),
            new("tokens out", a.OutputTokens, b.OutputTokens, Count),
            new("cost", a.CostUsd, b.CostUsd, Units.Usd),
            new("files written", a.FilesWritten.Count, b.FilesWritten.Count, Count),
            new("files read", a.FilesRead.Count, b.FilesRead.Count, Count),
        };
        foreach (string tool in a.Tools.Select(t => t.Name).Union(b.Tools.Select(t => t.Name), StringComparer.Ordinal))
        {
            list.Add(new("  " + tool, a.Tools.Find(t => t.Name == tool)?.Calls ?? 0, b.Tools.Find(t => t.Name == tool)?.Calls ?? 0, Count));
        }
        return list;
    }

    private static string Count(double n) => Units.Count((long)n);

    /// <summary>One sentence: is B cheaper, faster, with fewer errors than A?</summary>
    public static string Verdict(SessionStats a, SessionStats b)
    {
        var parts = new List<string>();
        parts.Add(Change("cost", a.CostUsd, b.CostUsd, "cheaper", "more expensive", 0.02));
        parts.Add(Change("duration", a.DurationSeconds, b.DurationSeconds, "faster", "slower", 0.05));
        int errors = b.Errors - a.Errors;
        parts.Add(errors == 0 ? (a.Errors == 0 ? "no errors in either" : $"same errors ({a.Errors})") : errors < 0 ? $"{-errors} fewer error{(errors == -1 ? "" : "s")}" : $"{errors} more error{(errors == 1 ? "" : "s")}");
        bool better = b.CostUsd <= a.CostUsd && b.Errors <= a.Errors && b.DurationSeconds <= a.DurationSeconds;
        bool worse = b.CostUsd >= a.CostUsd && b.Errors >= a.Errors && b.DurationSeconds >= a.DurationSeconds;
        string overall = better && !worse ? "B is better" : worse && !better ? "B is worse" : better && worse ? "about the same" : "mixed";
        return $"Verdict: {overall}: {string.Join(", ", parts)}.";
    }

    private static string Change(string what, double a, double b, string less, string more, double same)
    {
        if (a == b || (a > 0 && Math.Abs(b - a) / a < same)) return "about the same " + what;
        if (a <= 0) return $"{what} up from 0";
        double pct = Math.Abs(b - a) / a * 100;
        return $"{pct.ToString("0", CultureInfo.InvariantCulture)}% {(b < a ? less : more)}";
    }

    public static void Text(SessionStats a, SessionStats b, Style style, IBufferWriter<byte> output)
    {
        var metrics = Metrics(a, b);
        int valueWidth = 12, deltaWidth = 10;
        int nameWidth = Math.Max(10, Math.Min(24, style.Width - 2 * (1 + valueWidth) - 1 - deltaWidth));
        int total = nameWidth + 2 * (1 + valueWidth) + 1 + deltaWidth;
        if (total > style.Width) { valueWidth = Math.Max(8, (style.Width - nameWidth - deltaWidth - 3) / 2); }
        Output.Text.Line(output, Cells.Fit("A: " + a.Title, style.Width));
        Output.Text.Line(output, Cells.Fit("B: " + b.Title, style.Width));
        Output.Text.Line(output, "");
        Output.Text.Line(output, style.Dim(Cells.PadRight("", nameWidth) + " " + Cells.PadLeft("A", valueWidth) + " " + Cells.PadLeft("B", valueWidth) + " " + Cells.PadLeft("B − A", deltaWidth)));
        foreach (Metric m in metrics)
        {
            if (m.Name == "  " + a.Tools.Concat(b.Tools).Select(t => t.Name).FirstOrDefault())
            {
                Output.Text.Line(output, style.Dim("tools (calls)"));
            }
            double d = m.B - m.A;
            string delta = d == 0 ? "=" : (d > 0 ? "+" : "−") + m.Format(Math.Abs(d));
            string shown = Cells.PadLeft(delta, deltaWidth);
            if (d != 0 && m.LowerIsBetter && !m.Name.StartsWith("  ", StringComparison.Ordinal) && m.Name is "cost" or "errors" or "duration" or "retries")
            {
                shown = d < 0 ? style.Green(shown) : style.Red(shown);
            }
            Output.Text.Line(output, Cells.PadRight(m.Name, nameWidth) + " " + Cells.PadLeft(m.Format(m.A), valueWidth) + " " + Cells.PadLeft(m.Format(m.B), valueWidth) + " " + shown);
        }
        string models = $"models   A: {string.Join(", ", a.Models.Select(m => m.Model))}   B: {string.Join(", ", b.Models.Select(m => m.Model))}";
        Output.Text.Line(output, Cells.Fit(models, style.Width));
        var onlyA = a.FilesWritten.Except(b.FilesWritten, StringComparer.Ordinal).ToList();
        var onlyB = b.FilesWritten.Except(a.FilesWritten, StringComparer.Ordinal).ToList();
        if (onlyA.Count + onlyB.Count > 0)
        {
            Output.Text.Line(output, Cells.Fit($"files    only A wrote: {(onlyA.Count > 0 ? string.Join(", ", onlyA) : "-")}   only B wrote: {(onlyB.Count > 0 ? string.Join(", ", onlyB) : "-")}", style.Width));
        }
        Output.Text.Line(output, "");
        Output.Text.Line(output, style.Bold(Cells.Fit(Verdict(a, b), style.Width)));
    }

    public static void Json(SessionStats a, SessionStats b, IBufferWriter<byte> output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WritePropertyName("a");
        StatsRenderer.Write(w, a);
        w.WritePropertyName("b");
        StatsRenderer.Write(w, b);
        w.WriteStartObject("delta");
        w.WriteNumber("duration_s", Math.Round(b.DurationSeconds - a.DurationSeconds, 3));
        w.WriteNumber("tool_calls", b.ToolCalls - a.ToolCalls);
        w.WriteNumber("errors", b.Errors - a.Errors);
        w.WriteNumber("retries", b.Retries - a.Retries);
        w.WriteNumber("model_calls", b.ModelCalls - a.ModelCalls);
        w.WriteNumber("input_tokens", b.InputTokens - a.InputTokens);
        w.WriteNumber("output_tokens", b.OutputTokens - a.OutputTokens);
        w.WriteNumber("cost_usd", Math.Round(b.CostUsd - a.CostUsd, 6));
        w.WriteEndObject();
        w.WriteString("verdict", Verdict(a, b));
        w.WriteEndObject();
        w.Flush();
        output.Write("\n"u8);
    }
}
