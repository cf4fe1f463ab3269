using AgentStrace.Errors;
using AgentStrace.Report;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class ReportCommands
{
    /// <summary>
    /// Write a session as one self-contained HTML page (opens from disk, loads nothing from the network): the span tree of
    /// `export --format otlp-genai` as a waterfall, with search, type filters and each span's attributes, input and output.
    /// With --all: an overview (sessions over time, cost per day and model, top tools, error rates, baseline anomalies)
    /// linking to every session.
    /// Examples: agent-strace report --html -o session.html · agent-strace report 3f2a --html -o 3f2a.html ·
    /// agent-strace report --all --since 30d --html -o report.html
    /// </summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session, with its sub-agents).</param>
    /// <param name="html">Write HTML (the only report format; may be left out).</param>
    /// <param name="output">-o, The HTML file to write (default: stdout).</param>
    /// <param name="all">Every top-level session (narrow with --since/--until), behind an overview page.</param>
    /// <param name="since">With --all: sessions started at or after 30d, 24h, 2026-01-31 or epoch seconds.</param>
    /// <param name="until">With --all: sessions started at or before this time.</param>
    /// <param name="noContent">Leave prompts, responses, tool inputs and outputs out of the page.</param>
    /// <param name="pricing">JSON pricing file merged over the built-in table (for the cost of each model call).</param>
    /// <param name="followSymlinks">Write --output through a symbolic link to its target (refused otherwise).</param>
    public async Task<int> Report([Argument] string? sessionId = null, bool html = false, string? output = null, bool all = false,
        string? since = null, string? until = null, bool noContent = false, string? pricing = null, bool followSymlinks = false,
        CancellationToken cancellationToken = default)
    {
        _ = html; // HTML is the one format; the flag keeps `report --html` (the documented form) explicit.
        var request = new ReportRequest
        {
            SessionId = sessionId, All = all, Since = since, Until = until, NoContent = noContent, Output = output,
            FollowSymlinks = followSymlinks, Pricing = pricing, Version = BuildInfo.Version,
        };
        ReportResult result = await HtmlReport.WriteAsync(Cli.OpenStore(), request, Output.Text.Warn, cancellationToken);
        if (result.Path is not null)
        {
            Console.Error.WriteLine($"agent-strace: wrote {result.Path} ({result.Sessions} session{(result.Sessions == 1 ? "" : "s")}, {result.Spans:N0} spans, {result.Bytes:N0} bytes); open it in a browser.");
        }
        return ExitCodes.Ok;
    }
}
