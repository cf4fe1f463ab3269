using AgentStrace.Spans;

namespace AgentStrace.Otlp.Metrics;

/// <summary>An OTLP explicit-bucket <c>HistogramDataPoint</c> that values are recorded into.</summary>
public sealed class HistogramPoint(List<SpanAttribute> attributes, double[] bounds)
{
    public List<SpanAttribute> Attributes { get; } = attributes;
    public double[] Bounds { get; } = bounds;
    /// <summary><c>Bounds.Length + 1</c> buckets: bucket i counts values in (bounds[i-1], bounds[i]].</summary>
    public ulong[] BucketCounts { get; } = new ulong[bounds.Length + 1];
    public ulong Count { get; private set; }
    public double Sum { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public ulong StartTimeUnixNano { get; set; }
    public ulong TimeUnixNano { get; set; }

    public void Record(double value)
    {
        int i = 0;
        while (i < Bounds.Length && value > Bounds[i]) i++;
        BucketCounts[i]++;
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }
}
