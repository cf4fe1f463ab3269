namespace AgentStrace.Otlp.Metrics;

/// <summary>The OTLP metric data types agent-strace emits.</summary>
public enum MetricKind
{
    Gauge,
    Histogram,
}
