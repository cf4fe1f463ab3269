namespace AgentStrace.Analysis.Baseline;

/// <summary>How a session is scored against the baseline.</summary>
public enum BaselineMethod
{
    /// <summary>Median and MAD × 1.4826 (default): one extreme session in the history does not widen the band.</summary>
    Robust,
    /// <summary>Mean and sample standard deviation (upstream's method).</summary>
    StdDev,
}
