using AgentStrace.Otlp.Protobuf;

namespace AgentStrace.Otlp.Metrics;

/// <summary>
/// Histogram temporality from <c>OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE</c>: <c>cumulative</c> (the spec's
/// default), <c>delta</c> or <c>lowmemory</c> (delta for histograms). Gauges have no temporality.
/// </summary>
public static class MetricsTemporality
{
    public static int Resolve(string? preference, List<string> warnings)
    {
        switch (preference?.Trim().ToLowerInvariant())
        {
            case null or "" or "cumulative": return OtlpFieldNumbers.AggregationTemporality_Cumulative;
            case "delta" or "lowmemory": return OtlpFieldNumbers.AggregationTemporality_Delta;
            default:
                warnings.Add($"Ignored OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE='{preference}': use cumulative, delta or lowmemory.");
                return OtlpFieldNumbers.AggregationTemporality_Cumulative;
        }
    }
}
