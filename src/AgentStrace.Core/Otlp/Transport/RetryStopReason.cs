namespace AgentStrace.Otlp.Transport;

/// <summary>Why <see cref="OtlpRetry.Decide"/> stopped retrying.</summary>
public enum RetryStopReason
{
    None,
    NotRetryable,
    /// <summary>The next sleep would end past the overall timeout.</summary>
    Deadline,
    TooManyAttempts,
}
