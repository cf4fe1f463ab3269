using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Errors;
using AgentStrace.Model;
using AgentStrace.Otlp.Metrics;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Otlp.Transport;
using AgentStrace.Output;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>
/// <c>export --metrics</c>: session gauges and GenAI histograms as one OTLP metrics request, delivered with the
/// traces' transport, environment and retry rules (signal <see cref="OtlpSignal.Metrics"/>), or written to
/// stdout/<c>--output</c> when no endpoint is configured (or with <c>--dry-run</c>).
/// </summary>
/// <remarks>
/// Upstream sends <c>--metrics</c> without <c>--backend</c> to Langfuse; here it always means OTLP.
/// </remarks>
public static class OtlpMetricsExport
{
    public static async Task<int> RunAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken) =>
        await RunAsync(store, request, Environment.GetEnvironmentVariable, cancellationToken);

    public static async Task<int> RunAsync(TraceStore store, ExportRequest request, Func<string, string?> env, CancellationToken cancellationToken)
    {
        List<SessionInfo> sessions = SessionSelection.Resolve(store, request, Output.Text.Warn);
        var warnings = new List<string>();
        int temporality = MetricsTemporality.Resolve(env("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"), warnings);
        var analyzer = new SessionAnalyzer(CostOptions.Default(PricingTable.Load(store.Root, null))) { OnMalformed = m => Output.Text.Warn(m.ToString()) };
        var builder = new MetricsPayloadBuilder(analyzer, temporality, OtlpTime.Nanos(Clock.Now()), request.Scores, Output.Text.Warn);

        if (!WantsDelivery(request, env))
        {
            string service = OtlpSettingsResolver.ResolveServiceResource(request.ServiceName, env, warnings, out var attrs);
            foreach (string w in warnings) Output.Text.Warn(w);
            ResourceMetricsData data = builder.Build(sessions, Resource(service, attrs));
            WriteFile(data, request);
            return ExitCodes.Ok;
        }

        OtlpSettings settings = OtlpSettingsResolver.Resolve(Flags(request), OtlpSignal.Metrics, env);
        foreach (string w in warnings.Concat(settings.Warnings)) Output.Text.Warn(w);
        ResourceMetricsData payload = builder.Build(sessions, Resource(settings.ServiceName, settings.ResourceAttributes));
        using var transport = new OtlpTransport(settings);
        using var encoder = new OtlpRequestEncoder(settings.Protocol);
        OtlpSendResult result = await transport.SendAsync(encoder.Encode(payload), payload.PointCount, cancellationToken);
        var report = new OtlpDeliveryReport(OtlpSignal.Metrics);
        report.Add(result);
        foreach (string m in report.Messages) Output.Text.Warn(m);
        if (report.RejectedLine() is { } rejected) Output.Text.Warn(rejected);
        if (!report.Success) throw new ExportException($"OTLP metrics export to {settings.DisplayUrl} failed: {report.Summary()}");
        Output.Text.Warn($"agent-strace: OTLP metrics: exported {payload.PointCount} data points for {builder.Sessions} session(s) to {settings.DisplayUrl}");
        return ExitCodes.Ok;
    }

    /// <summary>Deliver when an endpoint or backend is given by flag or environment; otherwise write the payload out.</summary>
    public static bool WantsDelivery(ExportRequest request, Func<string, string?> env) =>
        !request.DryRun && (string.IsNullOrEmpty(request.Output) || request.Output == "-")
        && (!string.IsNullOrEmpty(request.Endpoint) || !string.IsNullOrEmpty(request.OtlpEndpoint) || request.Backend is not null
            || !string.IsNullOrEmpty(env("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")) || !string.IsNullOrEmpty(env("OTEL_EXPORTER_OTLP_ENDPOINT")));

    public static OtlpFlags Flags(ExportRequest request)
    {
        var headers = new List<string>(request.Headers);
        // Upstream's --otlp-headers k=v,k=v (pairs without '=' are ignored, as upstream does).
        if (request.OtlpHeaders is { Length: > 0 } upstream)
        {
            headers.InsertRange(0, upstream.Split(',').Where(p => p.Contains('=')).Select(p => p.Trim()));
        }
        return request.ToOtlpFlags() with { Endpoint = !string.IsNullOrEmpty(request.Endpoint) ? request.Endpoint : request.OtlpEndpoint, Headers = headers };
    }

    private static List<SpanAttribute> Resource(string service, IReadOnlyList<KeyValuePair<string, string>> extra) =>
        OtlpIdentity.Resource(service, [], extra.Select(p => SpanAttribute.Of(p.Key, p.Value)));

    private static void WriteFile(ResourceMetricsData data, ExportRequest request)
    {
        string? output = request.Output;
        bool protobuf = request.Protocol is OtlpProtocol.HttpProtobuf or OtlpProtocol.Grpc
            || (!string.IsNullOrEmpty(output) && Path.GetExtension(output).ToLowerInvariant() is ".pb" or ".binpb" or ".protobuf");
        if (protobuf) ExportFlagCheck.RefuseBinaryToTerminal(output, "The OTLP metrics payload");
        using var target = OutputTarget.Open(output, request.FollowSymlinks, carriesContent: false);
        if (protobuf)
        {
            using var proto = new ProtoWriter();
            MetricsRequestWriter.Write(proto, data);
            target.Writer.Write(proto.WrittenSpan);
        }
        else
        {
            using (var json = new Utf8JsonWriter(target.Writer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                OtlpJsonMetricsWriter.Write(json, data);
            }
            target.Writer.Write("\n"u8);
        }
        target.Commit();
        if (target.IsFile) Output.Text.Warn($"agent-strace: OTLP metrics ({data.PointCount} data points, {(protobuf ? "protobuf" : "OTLP/JSON")}) written to {target.Path}");
    }
}
