using AgentStrace.Errors;
using AgentStrace.Otlp.Transport;
using AgentStrace.Output;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>
/// <c>export --format otlp|otlp-genai</c>: sessions (with their sub-agents) streamed through the span builder into
/// batches, written to stdout/<c>--output</c> or delivered to an OTLP endpoint.
/// </summary>
public static class OtlpTraceExport
{
    public const int DefaultBatchSpans = 512;

    public static async Task<int> RunAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        if (request.BatchSpans is <= 0) throw new AgentStraceException("--batch-spans must be a positive number of spans.");
        // One listing serves selection and planning (sub-agents are found through it): every meta.json is read once.
        var listing = SessionSelection.ListStore(store, request, Output.Text.Warn);
        var sessions = SessionSelection.Resolve(store, request, Output.Text.Warn, listing);
        var plan = TraceExportPlan.Build(store, sessions, Output.Text.Warn, listing);
        // An endpoint by flag, backend or OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT means "send there", unless --output asks
        // for a file.
        bool send = ExportFlagCheck.WantsTraceDelivery(request, Environment.GetEnvironmentVariable) && string.IsNullOrEmpty(request.Output);
        return send
            ? await SendAsync(plan, request, cancellationToken)
            : await WriteFileAsync(plan, request, cancellationToken);
    }

    private static async Task<int> WriteFileAsync(List<PlannedSession> plan, ExportRequest request, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        string service = OtlpSettingsResolver.ResolveServiceResource(request.ServiceName, Environment.GetEnvironmentVariable, warnings, out var resource);
        foreach (string w in warnings) Output.Text.Warn(w);
        SpanOptions options = TraceExportOptions.From(request with { ServiceName = service }, Environment.GetEnvironmentVariable, ToAttributes(resource), null);
        bool protobuf = WantsProtobufFile(request);
        if (protobuf) ExportFlagCheck.RefuseBinaryToTerminal(request.Output, "The OTLP trace payload");
        using var target = OutputTarget.Open(request.Output, request.FollowSymlinks);
        using var sink = new FileSpanSink(target, protobuf);
        var pipeline = new PipelinedSink(sink);
        var batcher = new SpanBatcher(pipeline, request.BatchSpans ?? DefaultBatchSpans);
        var exporter = new TraceExporter(options, m => Output.Text.Warn(m.ToString()));
        try
        {
            // JSON is read by people: put each root span first, as upstream does (costs a second read of the events).
            await exporter.ExportAsync(plan, batcher, rootFirst: !protobuf, cancellationToken);
            await pipeline.CompleteAsync(cancellationToken);
        }
        finally
        {
            // Failed or cancelled: the temp file is deleted only once the batch in flight has let go of it.
            await pipeline.DrainAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        target.Commit();
        if (target.IsFile)
        {
            Output.Text.Warn($"agent-strace: OTLP payload ({batcher.TotalSpans} spans from {plan.Count} session(s), {(protobuf ? "protobuf" : "OTLP/JSON")}) written to {target.Path}");
            Output.Text.Warn($"agent-strace: send to a collector: agent-strace export --format {request.Format.Word()} --endpoint http://localhost:4318");
        }
        return ExitCodes.Ok;
    }

    internal static List<SpanAttribute> ToAttributes(IReadOnlyList<KeyValuePair<string, string>> pairs) =>
        pairs.Select(p => SpanAttribute.Of(p.Key, p.Value)).ToList();

    // Protobuf for *.pb/*.binpb files, or when a binary protocol is asked for explicitly with --output.
    private static bool WantsProtobufFile(ExportRequest request)
    {
        string? output = request.Output;
        bool binaryProtocol = request.Protocol is OtlpProtocol.HttpProtobuf or OtlpProtocol.Grpc;
        if (string.IsNullOrEmpty(output) || output == "-") return binaryProtocol;
        string ext = Path.GetExtension(output).ToLowerInvariant();
        return ext is ".pb" or ".binpb" or ".protobuf" || binaryProtocol;
    }

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
        finally
        {
            await pipeline.DrainAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // no request in flight at dispose
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
