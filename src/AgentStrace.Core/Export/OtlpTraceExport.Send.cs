using AgentStrace.Errors;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;

namespace AgentStrace.Export;

public static partial class OtlpTraceExport
{
    private static async Task<int> SendAsync(List<PlannedSession> plan, ExportRequest request, CancellationToken cancellationToken)
    {
        OtlpSettings settings = OtlpSettingsResolver.Resolve(request.ToOtlpFlags(), OtlpSignal.Traces);
        foreach (string w in settings.Warnings) Output.Text.Warn(w);
        SpanOptions options = TraceExportOptions.From(request with { ServiceName = settings.ServiceName }, Environment.GetEnvironmentVariable,
            ToAttributes(settings.ResourceAttributes), null);
        using var transport = new OtlpTransport(settings);
        using var sink = new EndpointSpanSink(transport, request.DryRun);
        var pipeline = new PipelinedSink(sink);
        var batcher = new SpanBatcher(pipeline, request.BatchSpans ?? DefaultBatchSpans);
        var exporter = new TraceExporter(options, m => Output.Text.Warn(m.ToString()));
        try
        {
            await exporter.ExportAsync(plan, batcher, rootFirst: false, cancellationToken);
            await pipeline.CompleteAsync(cancellationToken);
        }
        catch (DeliveryStoppedException stopped)
        {
            // The transport's message names the URL, the status, the server's reason and a hint; nothing to add
            // but how much got through before the failure.
            string sent = sink.Report.ItemsDelivered > 0 ? " " + sink.Report.Summary() : "";
            throw new ExportException(stopped.Result.Message.TrimEnd() + sent);
        }
        OtlpDeliveryReport report = sink.Report;
        string what = $"{batcher.TotalSpans} spans ({exporter.Events} events) from {plan.Count} session(s)";
        if (request.DryRun)
        {
            Output.Text.Warn($"agent-strace: dry run: would send {what} to {settings.DisplayUrl} as {settings.Protocol.ToFlag()} in {report.Requests} request(s), {sink.EncodedBytes} bytes before compression.");
            return ExitCodes.Ok;
        }
        if (report.RejectedLine() is { } rejected)
        {
            foreach (string m in report.Messages) Output.Text.Warn(m);
            throw new ExportException($"OTLP export to {settings.DisplayUrl}: {rejected} {report.Summary()}");
        }
        Output.Text.Warn($"agent-strace: exported {what} to {settings.DisplayUrl} ({settings.Protocol.ToFlag()}, {report.Requests} request(s)).");
        return ExitCodes.Ok;
    }
}
