namespace AgentStrace.Live.Spool;

/// <summary>The outcome of one send.</summary>
/// <param name="Delivered">The collector took the batch (possibly rejecting some spans: <paramref name="Rejected"/>).</param>
/// <param name="Permanent">Not delivered and retrying the same bytes cannot succeed (e.g. HTTP 400): the batch is dropped.</param>
public sealed record DeliveryResult(bool Delivered, bool Permanent = false, long Rejected = 0, string? Error = null)
{
    public static readonly DeliveryResult Ok = new(true);
}
