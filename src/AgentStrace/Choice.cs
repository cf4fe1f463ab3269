using AgentStrace.Capture.Import.Agents;
using AgentStrace.Errors;

namespace AgentStrace.Cli;

/// <summary>How a view or report command prints (each takes a subset: see <see cref="Choices"/>).</summary>
internal enum ViewFormat { Text, Table, Json, Csv }

/// <summary><c>--color</c>: colour a terminal (auto), always, or never.</summary>
internal enum ColorMode { Auto, Always, Never }

/// <summary>The shells <c>completion</c> writes scripts for.</summary>
internal enum ShellName { Bash, Zsh, Fish, Pwsh }

/// <summary>The choice flags of the commands, declared once (Core declares the ones its environment variables and
/// configuration also carry, and they are listed here too); <see cref="Choice{T}"/> parses them.</summary>
internal static class Choices
{
    public static readonly Choice<ViewFormat> TextOrJson = new("--format", ["text", "json"], [ViewFormat.Text, ViewFormat.Json]);
    public static readonly Choice<ViewFormat> TableOrJson = new("--format", ["table", "json"], [ViewFormat.Table, ViewFormat.Json]);
    public static readonly Choice<ViewFormat> TextJsonOrCsv = new("--format", ["text", "json", "csv"], [ViewFormat.Text, ViewFormat.Json, ViewFormat.Csv]);
    public static readonly Choice<ColorMode> Color = new("--color", ["auto", "always", "never"], [ColorMode.Auto, ColorMode.Always, ColorMode.Never]);
    public static readonly Choice<Analysis.Baseline.BaselineMethod> BaselineMethod = new("--method", ["robust", "stddev"],
        [Analysis.Baseline.BaselineMethod.Robust, Analysis.Baseline.BaselineMethod.StdDev]);
    public static readonly Choice<Export.ExportFormat> ExportFormat = new("--format", Export.ExportFormats.Words, Enum.GetValues<Export.ExportFormat>());
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
    /// <summary>The span shapes alone (demo, watch, setup --ship-to): <c>otlp</c> or <c>otlp-genai</c>.</summary>
    public static readonly Choice<Spans.SpanFormat> SpanFormat = Export.TraceExportOptions.SpanFormats;
    public static readonly Choice<Spans.Semconv> Semconv = Export.TraceExportOptions.Semconvs;
    public static readonly Choice<Otlp.Transport.OtlpProtocol> Protocol = Otlp.Transport.OtlpNames.Protocols;
    public static readonly Choice<Otlp.Transport.OtlpCompression> Compression = Otlp.Transport.OtlpNames.Compressions;
    public static readonly Choice<Otlp.Transport.BackendPreset> Backend = Otlp.Transport.OtlpBackends.Presets;
    /// <summary><c>import --agent</c> and <c>setup --agent</c>; claude and gemini are accepted spellings.</summary>
    public static readonly Choice<AgentFormat> Agent = new("--agent", ["claude-code", "codex", "gemini-cli", "claude", "gemini"],
        [AgentFormat.ClaudeCode, AgentFormat.Codex, AgentFormat.Gemini, AgentFormat.ClaudeCode, AgentFormat.Gemini], shown: 3);
    /// <summary><c>completion &lt;shell&gt;</c>; powershell is an accepted spelling.</summary>
    public static readonly Choice<ShellName> Shell = new("shell", ["bash", "zsh", "fish", "pwsh", "powershell"],
        [ShellName.Bash, ShellName.Zsh, ShellName.Fish, ShellName.Pwsh, ShellName.Pwsh], shown: 4);
}
