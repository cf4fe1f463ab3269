using AgentStrace.Spans;

namespace AgentStrace.Live.Spool;

/// <summary>Delivers one batch of spans to a collector (the live sender's view of the OTLP transport).</summary>
public interface ISpanDelivery
{
    /// <summary>A printable description of the destination (no secrets).</summary>
    string Destination { get; }

    Task<DeliveryResult> SendAsync(IReadOnlyList<ResourceSpans> batch, int spanCount, CancellationToken cancellationToken);
}

/// <summary>The outcome of one send.</summary>
/// <param name="Delivered">The collector took the batch (possibly rejecting some spans: <paramref name="Rejected"/>).</param>
/// <param name="Permanent">Not delivered and retrying the same bytes cannot succeed (e.g. HTTP 400): the batch is dropped.</param>
public sealed record DeliveryResult(bool Delivered, bool Permanent = false, long Rejected = 0, string? Error = null)
{
    public static readonly DeliveryResult Ok = new(true);
}
