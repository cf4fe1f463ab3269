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
    public static Task<int> RunAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        request = ExportFlagCheck.Settle(request, Environment.GetEnvironmentVariable);
        // Upstream's order: metrics/scores/backend first, then the format.
        if (request.Metrics) return OtlpMetricsExport.RunAsync(store, request, cancellationToken);
        if (request.Backend == Otlp.Transport.BackendPreset.Langfuse || request.Scores)
        {
            return LangfuseExport.RunAsync(store, request, cancellationToken);
        }
        if (request.NoContent && !request.Format.IsSpans())
        {
            throw new AgentStraceException($"--no-content cannot be honoured by --format {request.Format.Word()}: it exports the stored events verbatim (the evidence package must hold them whole); use --format otlp or otlp-genai, or leave out --no-content.");
        }
        return request.Format switch
        {
            ExportFormat.EuAiAct => EuAiActExport.RunAsync(store, request, cancellationToken),
            ExportFormat.Otlp or ExportFormat.OtlpGenAi => OtlpTraceExport.RunAsync(store, request, cancellationToken),
            _ => Task.FromResult(WriteEvents(store, request, cancellationToken)),
        };
    }

    private static int WriteEvents(TraceStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        var sessions = SessionSelection.Resolve(store, request, Output.Text.Warn);
        using var target = OutputTarget.Open(request.Output, request.FollowSymlinks);
        EventFormatExport.Write(sessions, request.Format, target.Writer, m => Output.Text.Warn(m.ToString()), cancellationToken);
        target.Commit();
        if (target.IsFile) Output.Text.Warn($"agent-strace: {request.Format.Word()} export written to {target.Path}");
        return ExitCodes.Ok;
    }
}
