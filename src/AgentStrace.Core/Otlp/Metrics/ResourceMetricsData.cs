using AgentStrace.Spans;

namespace AgentStrace.Otlp.Metrics;

/// <summary>One OTLP <c>ResourceMetrics</c> with a single scope.</summary>
public sealed class ResourceMetricsData
{
    public List<SpanAttribute> Resource { get; init; } = [];
    public string ScopeName { get; init; } = "agent-strace";
    public string ScopeVersion { get; init; } = "";
    public List<MetricData> Metrics { get; } = [];

    public int PointCount => Metrics.Sum(m => m.PointCount);
}
