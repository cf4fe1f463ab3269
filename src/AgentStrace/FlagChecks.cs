using System.Globalization;
using AgentStrace.Errors;

namespace AgentStrace.Cli;

/// <summary>
/// Range checks for numeric flags, before any work starts: NaN, infinities, negative and absurd durations or sizes
/// are usage errors (exit 2) naming the flag and its range, never an overflow deep inside a command.
/// </summary>
internal static class FlagChecks
{
    private const double Day = 86400;

    public static void Watch(double? exitWhenIdle, double pollInterval, double? timeout, int streamBatchSize, double streamFlushInterval,
        double spoolMaxMb, double drainTimeout, double? maxCost, double? maxDuration, int? maxRetries, int? loopThreshold, int loopWindow,
        double killGrace)
    {
        Range("--exit-when-idle", exitWhenIdle, 0, 365 * Day, "seconds");
        Range("--poll-interval", pollInterval, 0.01, 3600, "seconds");
        Range("--timeout", timeout, 0, Day, "seconds");
        Range("--stream-batch-size", streamBatchSize, 1, 1_000_000, "spans");
        Range("--stream-flush-interval", streamFlushInterval, 0.01, Day, "seconds");
        Range("--spool-max-mb", spoolMaxMb, 0.01, 1_048_576, "MiB");
        Range("--drain-timeout", drainTimeout, 0, Day, "seconds");
        Range("--max-cost", maxCost, 0, 1e9, "USD");
        Range("--max-duration", maxDuration, 0, 365 * Day, "seconds");
        Range("--max-retries", maxRetries, 1, 1_000_000, "runs");
        Range("--loop-threshold", loopThreshold, 2, 1_000_000, "calls");
        Range("--loop-window", loopWindow, 1, 1_000_000, "events");
        Range("--kill-grace", killGrace, 0, 3600, "seconds");
    }

    public static void Export(double? timeout, int? batchSpans)
    {
        Range("--timeout", timeout, 0, Day, "seconds");
        Range("--batch-spans", batchSpans, 1, 10_000_000, "spans");
    }

    public static void Baseline(double? threshold, double? sigma, int? sessions = null)
    {
        Range("--threshold", threshold, 0, 1000, "standard deviations");
        Range("--sigma", sigma, 0, 1000, "standard deviations");
        Range("--sessions", sessions, 1, 10_000_000, "sessions");
    }

    public static void Range(string flag, double? value, double min, double max, string unit)
    {
        if (value is not double v) return;
        if (!double.IsFinite(v) || v < min || v > max)
        {
            throw new AgentStraceException(string.Create(CultureInfo.InvariantCulture,
                $"{flag} must be a number of {unit} from {min} to {max}, got {v}."));
        }
    }
}
