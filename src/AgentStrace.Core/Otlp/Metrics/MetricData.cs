namespace AgentStrace.Otlp.Metrics;

/// <summary>One OTLP <c>Metric</c>: a gauge of <see cref="NumberPoint"/>s or a histogram of <see cref="HistogramPoint"/>s.</summary>
public sealed class MetricData
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public string Unit { get; init; } = "";
    public MetricKind Kind { get; init; }
    /// <summary><c>AggregationTemporality</c> for histograms (1 delta, 2 cumulative); gauges have none.</summary>
    public int Temporality { get; init; }
    public List<NumberPoint> Points { get; } = [];
    public List<HistogramPoint> HistogramPoints { get; } = [];

    public int PointCount => Kind == MetricKind.Gauge ? Points.Count : HistogramPoints.Count;
}
