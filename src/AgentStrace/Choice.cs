using AgentStrace.Errors;

namespace AgentStrace.Cli;

/// <summary>
/// A flag whose value is one of a few words (<c>--format</c>, <c>--color</c>, <c>--method</c>, …), parsed once at the
/// command line into an enum, so the commands and the core see the enum and never compare strings. A word that is not
/// one of them is a usage error (exit 2) that lists the choices and names the nearest one.
/// </summary>
/// <remarks>Words and values are parallel arrays and the matching is not generic: every generic instantiation over an
/// enum (tuples, LINQ, comparers) costs the native binary kilobytes.</remarks>
/// <param name="shown">How many of <paramref name="words"/> the error lists; the rest are accepted old spellings.</param>
/// <param name="ignoreCase">Accept any case and surrounding blanks (flags whose upstream spelling did).</param>
internal sealed class Choice<T>(string flag, string[] words, T[] values, int shown = int.MaxValue, bool ignoreCase = false) where T : struct, Enum
{
    /// <summary>The value of <paramref name="word"/>; <paramref name="command"/> names the command in the error.</summary>
    public T Parse(string word, string? command = null) =>
        values[ChoiceWords.IndexOf(flag, words, ignoreCase ? word.Trim().ToLowerInvariant() : word, command, shown)];
}

internal static class ChoiceWords
{
    public static int IndexOf(string flag, string[] words, string word, string? command, int shown = int.MaxValue)
    {
        int i = Array.IndexOf(words, word);
        if (i >= 0) return i;
        string[] listed = shown < words.Length ? words[..shown] : words;
        string near = Suggest.Nearest(word, listed) is string n ? $" Did you mean '{n}'?" : "";
        string forCommand = command is null ? "" : " for " + command;
        throw new AgentStraceException($"Unknown {flag} '{word}'{forCommand}: use {List(listed)}.{near}");
    }

    /// <summary>Choices as the errors word them: "a or b", "a, b or c", and "one of a, b, c, d" for more.</summary>
    private static string List(string[] w) => w.Length switch
    {
        1 => w[0],
        <= 3 => string.Join(", ", w[..^1]) + " or " + w[^1],
        _ => "one of " + string.Join(", ", w),
    };
}

/// <summary>How a view or report command prints (each takes a subset: see <see cref="Choices"/>).</summary>
internal enum ViewFormat { Text, Table, Json, Csv }

/// <summary><c>--color</c>: colour a terminal (auto), always, or never.</summary>
internal enum ColorMode { Auto, Always, Never }

/// <summary>The choice flags of the commands, declared once.</summary>
internal static class Choices
{
    public static readonly Choice<ViewFormat> TextOrJson = new("--format", ["text", "json"], [ViewFormat.Text, ViewFormat.Json]);
    public static readonly Choice<ViewFormat> TableOrJson = new("--format", ["table", "json"], [ViewFormat.Table, ViewFormat.Json]);
    public static readonly Choice<ViewFormat> TextJsonOrCsv = new("--format", ["text", "json", "csv"], [ViewFormat.Text, ViewFormat.Json, ViewFormat.Csv]);
    public static readonly Choice<ColorMode> Color = new("--color", ["auto", "always", "never"], [ColorMode.Auto, ColorMode.Always, ColorMode.Never]);
    public static readonly Choice<Analysis.Baseline.BaselineMethod> BaselineMethod = new("--method", ["robust", "stddev"],
        [Analysis.Baseline.BaselineMethod.Robust, Analysis.Baseline.BaselineMethod.StdDev]);
    public static readonly Choice<Export.ExportFormat> ExportFormat = new("--format", Export.ExportFormats.Words, Enum.GetValues<Export.ExportFormat>());
    /// <summary>The span shapes alone (demo, watch): <c>otlp</c> or <c>otlp-genai</c>.</summary>
    /// <summary><c>cost --by</c>; daily, weekly and monthly are upstream's spellings.</summary>
    public static readonly Choice<Analysis.Reports.CostBy> CostBy = new("--by",
        ["day", "week", "month", "session", "model", "agent", "project", "daily", "weekly", "monthly"],
        [Analysis.Reports.CostBy.Day, Analysis.Reports.CostBy.Week, Analysis.Reports.CostBy.Month, Analysis.Reports.CostBy.Session,
            Analysis.Reports.CostBy.Model, Analysis.Reports.CostBy.Agent, Analysis.Reports.CostBy.Project,
            Analysis.Reports.CostBy.Day, Analysis.Reports.CostBy.Week, Analysis.Reports.CostBy.Month], shown: 7, ignoreCase: true);
    /// <summary><c>watch --on-violation</c>; terminal and file are upstream's names for alerting.</summary>
    public static readonly Choice<Live.Watchdog.ViolationAction> OnViolation = new("--on-violation", ["alert", "kill", "terminal", "file"],
        [Live.Watchdog.ViolationAction.Alert, Live.Watchdog.ViolationAction.Kill, Live.Watchdog.ViolationAction.Alert, Live.Watchdog.ViolationAction.Alert],
        shown: 2, ignoreCase: true);
    public static readonly Choice<Spans.SpanFormat> SpanFormat = new("--format", ["otlp", "otlp-genai"], [Spans.SpanFormat.Classic, Spans.SpanFormat.GenAi]);
}
