using AgentStrace.Spans;

namespace AgentStrace.Otlp.Metrics;

/// <summary>One OTLP <c>ResourceMetrics</c> with a single scope.</summary>
public sealed class ResourceMetricsData
{
    public List<SpanAttribute> Resource { get; init; } = [];
    public string ScopeName { get; init; } = OtlpIdentity.ScopeName;
    public string ScopeVersion { get; init; } = OtlpIdentity.Version;
    /// <summary>The <c>ScopeMetrics.schema_url</c>: the semantic-conventions version the metrics follow.</summary>
    public string SchemaUrl { get; init; } = OtlpIdentity.SchemaUrl;
    public List<MetricData> Metrics { get; } = [];

    public int PointCount => Metrics.Sum(m => m.PointCount);
}
