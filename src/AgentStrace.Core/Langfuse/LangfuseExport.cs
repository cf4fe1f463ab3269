using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Langfuse;

/// <summary>
/// <c>export --backend langfuse [--scores]</c>: each selected session (with its sub-agents) as one Langfuse trace through
/// Langfuse's OTLP endpoint (the otlp-genai spans plus the attributes Langfuse maps), then, with <c>--scores</c>, its
/// eval scores through the public scores API. Stops at the first delivery failure (exit 3).
/// </summary>
public static partial class LangfuseExport
{
    public static async Task<int> RunAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        if (request.Backend is { Length: > 0 } backend && !backend.Trim().Equals("langfuse", StringComparison.OrdinalIgnoreCase))
        {
            throw new AgentStraceException($"--scores sends eval scores to Langfuse: use it with --backend langfuse, not --backend {backend}.");
        }
        if (request.BatchSpans is <= 0) throw new AgentStraceException("--batch-spans must be a positive number of spans.");
        LangfuseConfig config = LangfuseConfig.Resolve(request.LangfusePublicKey, request.LangfuseSecretKey, request.LangfuseHost, Environment.GetEnvironmentVariable);
        OtlpSettings settings = ResolveOtlp(config, request);
        string environment = LangfuseTraceContext.ResolveEnvironment(request.Environment, Environment.GetEnvironmentVariable);

        var listing = SessionSelection.ListStore(store, request, Output.Text.Warn);
        var sessions = SessionSelection.Resolve(store, request, Output.Text.Warn, listing);
        if (sessions.Count == 0) throw new SessionNotFoundException($"No sessions found in {store.DisplayRoot} for the given --since/--until.");
        var plan = TraceExportPlan.Build(store, sessions, Output.Text.Warn, listing);
        var byId = listing.ToDictionary(s => s.Id, StringComparer.Ordinal);

        SpanOptions options = TraceExportOptions.From(request with { Format = "otlp-genai", ServiceName = settings.ServiceName },
            Environment.GetEnvironmentVariable, OtlpTraceExport.ToAttributes(settings.ResourceAttributes), null);
        using var transport = new OtlpTransport(settings);
        using var sink = new EndpointSpanSink(transport, request.DryRun);
        LangfuseScoreClient? scores = request.Scores ? new LangfuseScoreClient(transport, config.ScoresUrl) : null;
        var batcher = new SpanBatcher(sink, request.BatchSpans ?? OtlpTraceExport.DefaultBatchSpans);
        var exporter = new TraceExporter(options, m => Output.Text.Warn(m.ToString()));
        var pricing = Analysis.Pricing.PricingTable.Load(store.Root, null);
        var run = new Run(config, settings, request.DryRun);
        BaselineVerdicts? verdicts = request.Scores ? BaselineVerdicts.Load(store, Output.Text.Warn) : null;

        foreach (PlannedSession planned in plan)
        {
            var context = LangfuseTraceContext.For(planned, byId).WithSettings(environment, Environment.GetEnvironmentVariable);
            TraceExporter.SessionResult result;
            try
            {
                var enricher = new LangfuseSpanEnricher(context, planned.Session.Meta, request.NoContent, pricing, planned.TraceId);
                result = await exporter.ExportSessionAsync(planned, batcher, rootFirst: false, enricher, cancellationToken);
                // Flushed per session, so a session reported as exported has had all its spans delivered.
                await batcher.FlushAsync(cancellationToken);
            }
            catch (DeliveryStoppedException stopped)
            {
                throw run.TraceFailure(planned, stopped.Result);
            }
            int sent = scores is null ? 0 : await SendScoresAsync(scores, planned, context, run, verdicts, cancellationToken);
            run.Exported(planned, context, result, sent, scores is not null);
        }
        if (sink.Report.RejectedLine() is { } rejected)
        {
            foreach (string m in sink.Report.Messages) Output.Text.Warn(m);
            throw new ExportException($"Langfuse export to {settings.DisplayUrl}: {rejected} {sink.Report.Summary()}");
        }
        run.Summary(plan.Count, sink.Report.Requests);
        return ExitCodes.Ok;
    }

    /// <summary>Langfuse's OTLP endpoint as an OTLP destination: always the host's <c>/api/public/otel/v1/traces</c>.</summary>
    private static OtlpSettings ResolveOtlp(LangfuseConfig config, ExportRequest request)
    {
        OtlpFlags flags = request.ToOtlpFlags() with
        {
            Endpoint = config.OtelTracesUrl.ToString(),
            Backend = "langfuse",
            LangfusePublicKey = config.PublicKey,
            LangfuseSecretKey = config.SecretKey,
            LangfuseHost = config.Host.ToString(),
        };
        OtlpSettings settings = OtlpSettingsResolver.Resolve(flags, OtlpSignal.Traces);
        foreach (string w in settings.Warnings) Output.Text.Warn(w);
        return settings;
    }
}
