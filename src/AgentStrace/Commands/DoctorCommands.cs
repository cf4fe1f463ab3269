using System.Text.Json;
using AgentStrace.Doctor;
using AgentStrace.Errors;
using AgentStrace.Output;

namespace AgentStrace.Cli.Commands;

internal sealed class DoctorCommands
{
    /// <summary>
    /// Check the setup, one line each with the fix: hooks installed (project and user Claude Code settings; Codex and Gemini
    /// CLI where set up), the hooks' binary exists and is this version, the store is writable, the last recorded event,
    /// recent hook errors, the user config, the OTLP endpoint (an empty export request), the Langfuse keys and the shipping
    /// state (setup --ship-to: the outbox drains, no recent delivery error).
    /// Exit code 1 when a check fails.
    /// Examples: agent-strace doctor · agent-strace doctor --endpoint http://localhost:4318 · agent-strace doctor --format json
    /// </summary>
    /// <param name="format">-f, text or json.</param>
    /// <param name="endpoint">OTLP endpoint to probe (default: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT).</param>
    /// <param name="timeout">Seconds each network check may take (default 5).</param>
    public async Task<int> Doctor(string format = "text", string? endpoint = null, double timeout = 5, CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextOrJson.Parse(format, "doctor");
        if (!(timeout > 0 && timeout <= 300)) throw new AgentStraceException("--timeout must be between 0 and 300 seconds.");
        var context = new DoctorContext
        {
            Store = Cli.OpenStore(),
            ThisBinary = Environment.ProcessPath ?? "agent-strace",
            Version = BuildInfo.Version,
            Endpoint = endpoint,
            Timeout = TimeSpan.FromSeconds(timeout),
        };
        List<DoctorLine> lines = await AgentStrace.Doctor.Doctor.RunAsync(context, cancellationToken);
        DoctorDocument report = DoctorDocument.Of(lines, BuildInfo.Version);
        using var stdout = StreamBufferWriter.Stdout();
        if (view == ViewFormat.Json)
        {
            using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            report.Write(w);
            w.Flush();
            Text.Line(stdout, "");
        }
        else
        {
            foreach (DoctorLine l in lines)
            {
                string mark = l.State switch { CheckState.Ok => "✓", CheckState.Fail => "✗", _ => "–" };
                Text.Line(stdout, $"{mark} {l.Check}: {l.Message}{(l.Fix.Length > 0 ? "  → " + l.Fix : "")}");
            }
            int failed = lines.Count(l => l.State == CheckState.Fail);
            Text.Line(stdout, failed == 0 ? "All checks passed." : $"{failed} check{(failed == 1 ? "" : "s")} failed.");
        }
        return report.Ok ? ExitCodes.Ok : ExitCodes.Found;
    }
}
