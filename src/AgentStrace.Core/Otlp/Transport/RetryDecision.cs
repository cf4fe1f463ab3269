namespace AgentStrace.Otlp.Transport;

/// <summary>The outcome of <see cref="OtlpRetry.Decide"/>.</summary>
public readonly record struct RetryDecision(bool Retry, TimeSpan Delay, TimeSpan NextBackoff, RetryStopReason Reason)
{
    public static RetryDecision Stop(RetryStopReason reason) => new(false, TimeSpan.Zero, TimeSpan.Zero, reason);
}
