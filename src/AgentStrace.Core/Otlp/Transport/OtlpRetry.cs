using System.Globalization;

namespace AgentStrace.Otlp.Transport;

/// <summary>
/// The OTLP retry policy as pure functions (opentelemetry-proto <c>docs/specification.md</c> §Failures and
/// §OTLP/HTTP Throttling; opentelemetry-specification <c>protocol/exporter.md</c> §Retry).
/// </summary>
/// <remarks>
/// Retry only HTTP 429/502/503/504, network errors and the retryable gRPC codes; never 400 or other 4xx, never
/// a partial success. Backoff starts at 1 s, grows ×1.5 up to 5 s, and each sleep is a random jitter in
/// [0, backoff). A server's throttle (<c>Retry-After</c> seconds or HTTP-date, gRPC <c>RetryInfo</c>) replaces
/// the jitter, clamped to at least 100 ms. No sleep may end past the deadline.
/// </remarks>
public static class OtlpRetry
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MinThrottle = TimeSpan.FromMilliseconds(100);
    public const double BackoffMultiplier = 1.5;
    /// <summary>A bound for sends without a deadline (<c>--timeout 0</c>).</summary>
    public const int MaxAttemptsWithoutDeadline = 10;

    public static bool IsRetryableHttpStatus(int status) => status is 429 or 502 or 503 or 504;

    /// <summary>gRPC codes: CANCELLED 1, DEADLINE_EXCEEDED 4, ABORTED 10, OUT_OF_RANGE 11, UNAVAILABLE 14, DATA_LOSS 15;
    /// RESOURCE_EXHAUSTED 8 only with a RetryInfo throttle.</summary>
    public static bool IsRetryableGrpcStatus(int code, bool hasRetryInfo) =>
        code is 1 or 4 or 10 or 11 or 14 or 15 || (code == 8 && hasRetryInfo);

    public static TimeSpan NextBackoff(TimeSpan current)
    {
        var next = TimeSpan.FromTicks((long)(current.Ticks * BackoffMultiplier));
        return next > MaxBackoff ? MaxBackoff : next;
    }

    /// <summary>Parses <c>Retry-After</c>: delay-seconds or an HTTP-date (relative to <paramref name="now"/>).</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, 86_400));
        }
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            TimeSpan delta = date - now;
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        return null;
    }

    /// <summary>
    /// Decides whether to retry after a failed attempt and how long to wait first.
    /// </summary>
    /// <param name="retryable">The failure is transient (see the Is* methods, or a network error).</param>
    /// <param name="throttle">The server's requested delay, if any.</param>
    /// <param name="backoff">The current backoff (starts at <see cref="InitialBackoff"/>).</param>
    /// <param name="random01">A random number in [0, 1) for the jitter.</param>
    /// <param name="now">The current time.</param>
    /// <param name="deadline">The end of the overall timeout, or null for no limit.</param>
    /// <param name="attempts">Attempts made so far.</param>
    public static RetryDecision Decide(bool retryable, TimeSpan? throttle, TimeSpan backoff, double random01,
        DateTimeOffset now, DateTimeOffset? deadline, int attempts)
    {
        if (!retryable) return RetryDecision.Stop(RetryStopReason.NotRetryable);
        if (deadline is null && attempts >= MaxAttemptsWithoutDeadline) return RetryDecision.Stop(RetryStopReason.TooManyAttempts);
        TimeSpan delay = throttle is { } t
            ? (t < MinThrottle ? MinThrottle : t)
            : TimeSpan.FromTicks((long)(backoff.Ticks * Math.Clamp(random01, 0, 0.999999)));
        if (deadline is { } end && now + delay >= end) return RetryDecision.Stop(RetryStopReason.Deadline);
        return new RetryDecision(true, delay, NextBackoff(backoff), RetryStopReason.None);
    }
}
