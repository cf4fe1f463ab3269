using System.Text.Json;

namespace AgentStrace.Otlp.Metrics;

/// <summary>Pre-encoded OTLP/JSON names of the metrics messages (opentelemetry-proto v1.11.0, lowerCamelCase).</summary>
public static class MetricsJsonNames
{
    public static readonly JsonEncodedText ResourceMetrics = JsonEncodedText.Encode("resourceMetrics");
    public static readonly JsonEncodedText ScopeMetrics = JsonEncodedText.Encode("scopeMetrics");
    public static readonly JsonEncodedText Metrics = JsonEncodedText.Encode("metrics");
    public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    public static readonly JsonEncodedText Unit = JsonEncodedText.Encode("unit");
    public static readonly JsonEncodedText Gauge = JsonEncodedText.Encode("gauge");
    public static readonly JsonEncodedText Histogram = JsonEncodedText.Encode("histogram");
    public static readonly JsonEncodedText DataPoints = JsonEncodedText.Encode("dataPoints");
    public static readonly JsonEncodedText AsDouble = JsonEncodedText.Encode("asDouble");
    public static readonly JsonEncodedText Count = JsonEncodedText.Encode("count");
    public static readonly JsonEncodedText Sum = JsonEncodedText.Encode("sum");
    public static readonly JsonEncodedText Min = JsonEncodedText.Encode("min");
    public static readonly JsonEncodedText Max = JsonEncodedText.Encode("max");
    public static readonly JsonEncodedText BucketCounts = JsonEncodedText.Encode("bucketCounts");
    public static readonly JsonEncodedText ExplicitBounds = JsonEncodedText.Encode("explicitBounds");
    public static readonly JsonEncodedText AggregationTemporality = JsonEncodedText.Encode("aggregationTemporality");
}
