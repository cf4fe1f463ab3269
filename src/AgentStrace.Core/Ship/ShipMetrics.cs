using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Export;
using AgentStrace.Live.Spool;
using AgentStrace.Otlp.Metrics;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Ship;

/// <summary>
/// <c>setup --ship-to … --metrics</c>: a finished session's metrics (the gauges and GenAI histograms of
/// <c>export --metrics</c>), sent once at its final hand-over to the metrics endpoint beside the traces' one, with the
/// same transport and retry rules. A re-send changes nothing in the backend: temporality is cumulative, every point
/// starts at the session's start and is taken at its end, and the resource names the session, so a shipper killed
/// after the collector acknowledged (before the state was written) restates the same points instead of adding to them.
/// </summary>
internal sealed class ShipMetrics(OtlpSettings settings, string storeRoot)
{
    public string DisplayUrl => settings.DisplayUrl;

    public async Task<DeliveryResult> SendAsync(SessionInfo session, IEnumerable<SpanAttribute> fleet, Action<string> log, CancellationToken ct)
    {
        ResourceMetricsData payload = Build(session, fleet, log);
        using var transport = new OtlpTransport(settings);
        using var encoder = new OtlpRequestEncoder(settings.Protocol);
        OtlpSendResult r;
        try
        {
            r = await transport.SendAsync(encoder.Encode(payload), payload.PointCount, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or OperationCanceledException or Errors.AgentStraceException)
        {
            return new DeliveryResult(false, Error: ex.Message);
        }
        if (r.Delivered) return new DeliveryResult(true, Rejected: r.Rejected, Error: r.Rejected > 0 ? r.Message : null);
        return new DeliveryResult(false, r.HttpStatus is 400 or 413 or 422, Error: r.Message);
    }

    public ResourceMetricsData Build(SessionInfo session, IEnumerable<SpanAttribute> fleet, Action<string> log)
    {
        double start = session.Meta.StartedAt;
        double end = session.Meta.EndedAt ?? start + session.Meta.TotalDurationMs / 1000;
        var analyzer = new SessionAnalyzer(CostOptions.Default(PricingTable.Load(storeRoot, null))) { OnMalformed = m => log(m.ToString()) };
        var builder = new MetricsPayloadBuilder(analyzer, OtlpFieldNumbers.AggregationTemporality_Cumulative, OtlpTime.Nanos(Math.Max(start, end)), scores: false, log)
        {
            StartUnixNano = OtlpTime.Nanos(start),
        };
        List<SpanAttribute> defaults = [SpanAttribute.Of("agent.session_id", session.Id)];
        var environment = settings.ResourceAttributes.Select(a => SpanAttribute.Of(a.Key, a.Value)).Concat(fleet);
        return builder.Build([session], OtlpIdentity.Resource(settings.ServiceName, defaults, environment));
    }

    /// <summary>The metrics endpoint beside the traces' one: a target that names <c>/v1/traces</c> gets <c>/v1/metrics</c>
    /// in its place; a base URL gets the signal path as the OTLP exporters do.</summary>
    public static string EndpointFor(string shipTo)
    {
        if (!Uri.TryCreate(shipTo, UriKind.Absolute, out Uri? url)) return shipTo;
        string path = url.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v1/traces", StringComparison.Ordinal)) return shipTo;
        return new UriBuilder(url) { Path = path[..^"/v1/traces".Length] + "/v1/metrics" }.Uri.ToString();
    }
}
