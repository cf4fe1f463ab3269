using AgentStrace.Compliance;
using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Langfuse;
using AgentStrace.Output;
using AgentStrace.Store;

namespace AgentStrace.Cli.Commands;

/// <summary>Routes <c>export</c> to the exporter for its format or backend; returns the exit code.</summary>
internal static class ExportDispatcher
{
    public static readonly string[] Formats = ["json", "ndjson", "csv", "otlp", "otlp-genai", "eu-ai-act"];

    public static Task<int> RunAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        if (Array.IndexOf(Formats, request.Format) < 0)
        {
            throw new AgentStraceException($"Unknown --format '{request.Format}': use one of {string.Join(", ", Formats)}.");
        }
        request = ExportFlagCheck.Settle(request, Environment.GetEnvironmentVariable);
        // Upstream's order: metrics/scores/backend first, then the format.
        if (request.Metrics) return OtlpMetricsExport.RunAsync(store, request, cancellationToken);
        if (string.Equals(request.Backend, "langfuse", StringComparison.OrdinalIgnoreCase) || request.Scores)
        {
            return LangfuseExport.RunAsync(store, request, cancellationToken);
        }
        if (request.NoContent && request.Format is "json" or "ndjson" or "csv" or "eu-ai-act")
        {
            throw new AgentStraceException($"--no-content cannot be honoured by --format {request.Format}: it exports the stored events verbatim (the evidence package must hold them whole); use --format otlp or otlp-genai, or leave out --no-content.");
        }
        return request.Format switch
        {
            "eu-ai-act" => EuAiActExport.RunAsync(store, request, cancellationToken),
            "otlp" or "otlp-genai" => OtlpTraceExport.RunAsync(store, request, cancellationToken),
            _ => Task.FromResult(WriteEvents(store, request)),
        };
    }

    private static int WriteEvents(TraceStore store, ExportRequest request)
    {
        var sessions = SessionSelection.Resolve(store, request, Output.Text.Warn);
        using var target = OutputTarget.Open(request.Output, request.FollowSymlinks);
        EventFormatExport.Write(sessions, request.Format, target.Writer, m => Output.Text.Warn(m.ToString()));
        target.Commit();
        if (target.IsFile) Output.Text.Warn($"agent-strace: {request.Format} export written to {target.Path}");
        return ExitCodes.Ok;
    }
}
