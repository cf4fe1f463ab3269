using AgentStrace.Live.Spool;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;

namespace AgentStrace.Live;

/// <summary>
/// Delivers one batch of spans to a collector for the live sender and the shipper: encodes it for the resolved protocol
/// (<see cref="OtlpRequestEncoder"/>) and sends it with <see cref="OtlpTransport"/> (retries, partial success).
/// </summary>
public sealed class OtlpSpanDelivery(OtlpSettings settings) : IDisposable
{
    private readonly OtlpTransport _transport = new(settings);
    private readonly OtlpRequestEncoder _encoder = new(settings.Protocol);

    /// <summary>A printable description of the destination (no secrets).</summary>
    public string Destination { get; } = $"{settings.DisplayUrl} ({settings.Protocol.ToFlag()})";

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<ResourceSpans> batch, int spanCount, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> body = _encoder.Encode(batch);
        OtlpSendResult r = await _transport.SendAsync(body, spanCount, cancellationToken);
        if (r.Delivered) return new DeliveryResult(true, Rejected: r.Rejected, Error: r.Rejected > 0 ? r.Message : null);
        // A request the collector declares malformed or too large will never be accepted: drop it instead of blocking
        // the spool. Auth and routing errors (401/403/404) are kept: fixing the collector or the flags delivers them.
        bool permanent = r.HttpStatus is 400 or 413 or 422;
        return new DeliveryResult(false, permanent, Error: r.Message);
    }

    public void Dispose()
    {
        _transport.Dispose();
        _encoder.Dispose();
    }
}
