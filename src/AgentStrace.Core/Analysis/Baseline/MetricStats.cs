namespace AgentStrace.Analysis.Baseline;

/// <summary>
/// Summary statistics of one metric over the baseline's sessions: the classic mean and sample standard deviation
/// (n − 1, as upstream), and the robust median and MAD (median absolute deviation).
/// </summary>
public sealed record MetricStats
{
    /// <summary>MAD × 1.4826 estimates σ for normal data, so a robust score reads in "standard deviations".</summary>
    public const double MadToSigma = 1.4826;
    /// <summary>Mean absolute deviation × 1.2533 estimates σ; used when more than half the samples are equal (MAD = 0).</summary>
    public const double MeanAbsToSigma = 1.2533;

    public int Count { get; init; }
    public double Mean { get; init; }
    public double StdDev { get; init; }
    public double Median { get; init; }
    public double Mad { get; init; }
    public double MeanAbsDeviation { get; init; }
    public double Min { get; init; }
    public double Max { get; init; }

    /// <summary>The robust spread in σ units: MAD × 1.4826, else mean absolute deviation × 1.2533.</summary>
    public double RobustSpread => Mad > 0 ? Mad * MadToSigma : MeanAbsDeviation * MeanAbsToSigma;

    public static MetricStats Compute(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0) return new MetricStats();
        double[] sorted = samples.Order().ToArray();
        int n = sorted.Length;
        double mean = sorted.Average();
        double variance = n < 2 ? 0 : sorted.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        double median = MedianOf(sorted);
        double[] deviations = sorted.Select(x => Math.Abs(x - median)).Order().ToArray();
        return new MetricStats
        {
            Count = n,
            Mean = mean,
            StdDev = Math.Sqrt(variance),
            Median = median,
            Mad = MedianOf(deviations),
            MeanAbsDeviation = deviations.Average(),
            Min = sorted[0],
            Max = sorted[^1],
        };
    }

    private static double MedianOf(double[] sorted)
    {
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2.0;
    }
}
