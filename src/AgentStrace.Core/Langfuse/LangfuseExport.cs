using AgentStrace.Analysis;
using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Langfuse;

/// <summary>
/// <c>export --backend langfuse [--scores]</c>: each selected session (with its sub-agents) as one Langfuse trace through
/// Langfuse's OTLP endpoint (the otlp-genai spans plus the attributes Langfuse maps), then, with <c>--scores</c>, its
/// eval scores through Langfuse's ingestion API. Stops at the first delivery failure (exit 3).
/// </summary>
public static class LangfuseExport
{
    public static async Task<int> RunAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        if (request.Backend is { } backend && backend != BackendPreset.Langfuse)
        {
            throw new AgentStraceException($"--scores sends eval scores to Langfuse: use it with --backend langfuse, not --backend {OtlpBackends.Of(backend).Name}.");
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

        SpanOptions options = TraceExportOptions.From(request with { Format = ExportFormat.OtlpGenAi, ServiceName = settings.ServiceName },
            Environment.GetEnvironmentVariable, OtlpTraceExport.ToAttributes(settings.ResourceAttributes), null);
        using var transport = new OtlpTransport(settings);
        using var sink = new EndpointSpanSink(transport, request.DryRun);
        LangfuseScoreClient? scores = request.Scores ? new LangfuseScoreClient(transport, config.IngestionUrl) : null;
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
            Backend = BackendPreset.Langfuse,
            LangfusePublicKey = config.PublicKey,
            LangfuseSecretKey = config.SecretKey,
            LangfuseHost = config.Host.ToString(),
        };
        OtlpSettings settings = OtlpSettingsResolver.Resolve(flags, OtlpSignal.Traces);
        foreach (string w in settings.Warnings) Output.Text.Warn(w);
        return settings;
    }

    /// <summary>Posts the session's eval.json scores and baseline verdict; returns how many were sent (or would be, in a dry run).</summary>
    private static async Task<int> SendScoresAsync(LangfuseScoreClient client, PlannedSession planned, LangfuseTraceContext context, Run run,
        BaselineVerdicts? verdicts, CancellationToken cancellationToken)
    {
        List<LangfuseScore> scores = ScoresFor(planned, Output.Text.Warn);
        if (verdicts is not null) scores.Add(verdicts.For(planned));
        foreach (LangfuseScore bad in scores.Where(s => !double.IsFinite(s.Value)))
        {
            Output.Text.Warn($"agent-strace: score '{bad.Name}' of session {planned.Session.Id} is not a finite number; not sent.");
        }
        double dated = planned.Session.Meta.StartedAt;
        scores = scores.Where(s => double.IsFinite(s.Value)).Select(s => s with { Environment = context.Environment, Timestamp = dated }).ToList();
        if (run.DryRun || scores.Count == 0) return scores.Count;
        OtlpSendResult result = await client.SendAsync(scores, cancellationToken);
        if (!result.Success) throw run.ScoreFailure(planned, result);
        return scores.Count;
    }

    /// <summary>
    /// The Langfuse scores of one session: one NUMERIC score per eval.json judge on the session's trace (a sub-agent's
    /// on its root observation inside the parent's trace), with an id derived from session and judge name.
    /// </summary>
    public static List<LangfuseScore> ScoresFor(PlannedSession planned, Action<string>? warn = null)
    {
        string sessionId = planned.Session.Id;
        string traceId = LangfuseIds.TraceId(planned.TraceId);
        string? observationId = planned.RootParentSpanId.Length > 0 ? LangfuseIds.ObservationId(TraceIds.RootSpanId(sessionId)) : null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var scores = new List<LangfuseScore>();
        foreach (EvalScore s in EvalScoreReader.Read(planned.Session.Directory, warn))
        {
            int occurrence = seen.TryGetValue(s.Judge, out int n) ? n : 0;
            seen[s.Judge] = occurrence + 1;
            scores.Add(new LangfuseScore
            {
                Id = LangfuseIds.ScoreId(sessionId, s.Judge, occurrence),
                TraceId = traceId,
                ObservationId = observationId,
                Name = s.Judge,
                Value = s.Score,
                Comment = s.Comment,
                Source = s,
                SessionId = sessionId,
            });
        }
        return scores;
    }

    /// <summary>Progress lines (upstream's <c>Langfuse: exported session …</c>), the summary and the failure messages.</summary>
    private sealed class Run(LangfuseConfig config, OtlpSettings settings, bool dryRun)
    {
        private int _sessions;
        private long _spans, _scores;

        public bool DryRun => dryRun;

        public void Exported(PlannedSession planned, LangfuseTraceContext context, TraceExporter.SessionResult result, int scores, bool withScores)
        {
            _sessions++;
            _spans += result.Spans;
            _scores += scores;
            string what = $"{result.Events} events, {result.Spans} spans" + (withScores ? $", {scores} score{(scores == 1 ? "" : "s")}" : "");
            if (context.SessionId != planned.Session.Id)
            {
                what += $"; in the trace of session {Short(context.SessionId)}";
            }
            Console.Error.WriteLine($"Langfuse: {(dryRun ? "dry run: would export" : "exported")} session {Short(planned.Session.Id)} ({what})");
        }

        public void Summary(int total, int requests)
        {
            Console.Out.WriteLine($"Langfuse: {_sessions}/{total} sessions {(dryRun ? "ready (dry run, nothing sent)" : "exported")}.");
            string scores = _scores > 0 ? $" and {_scores} score(s) to {OtlpUrls.Display(config.IngestionUrl)}" : "";
            Output.Text.Warn($"agent-strace: {(dryRun ? "would send" : "sent")} {_spans} spans in {requests} request(s) to {settings.DisplayUrl}{scores}.");
        }

        public ExportException TraceFailure(PlannedSession planned, OtlpSendResult result) =>
            new(result.HttpStatus is 401 or 403
                ? KeysRejected(result.HttpStatus)
                : $"Langfuse export of session {Short(planned.Session.Id)} failed: {result.Message.TrimEnd()}{Done()}");

        public ExportException ScoreFailure(PlannedSession planned, OtlpSendResult result) =>
            new(result.HttpStatus is 401 or 403
                ? KeysRejected(result.HttpStatus)
                : $"Langfuse scores of session {Short(planned.Session.Id)} failed: {result.Message.TrimEnd()}{Done()}");

        private string KeysRejected(int status) =>
            $"Langfuse at {config.DisplayHost} rejected the API keys (HTTP {status}): check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY "
            + $"(or --langfuse-public-key / --langfuse-secret-key) and that they belong to a project on this host.{Done()}";

        private string Done() => _sessions > 0 ? $" ({_sessions} session(s) were exported before the failure.)" : "";

        private static string Short(string id) => id.Length > 12 ? id[..12] : id;
    }
}
