using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;

namespace AgentStrace.Export;

/// <summary>
/// Encodes each batch for the endpoint's protocol (protobuf for http/protobuf and gRPC, OTLP/JSON for http/json)
/// and delivers it. The first failed request stops the export: the collector is down or refuses the data, and
/// sending the rest would only repeat the error.
/// </summary>
public sealed class EndpointSpanSink(OtlpTransport transport, bool dryRun) : ISpanBatchSink, IDisposable
{
    private readonly OtlpRequestEncoder _encoder = new(transport.Settings.Protocol);

    public OtlpDeliveryReport Report { get; } = new(OtlpSignal.Traces);
    public long EncodedBytes { get; private set; }

    public async Task WriteAsync(IReadOnlyList<ResourceSpans> batch, int spanCount, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> body = _encoder.Encode(batch);
        EncodedBytes += body.Length;
        if (dryRun)
        {
            Report.Add(new OtlpSendResult { Delivered = true, ItemCount = spanCount });
            return;
        }
        OtlpSendResult result = await transport.SendAsync(body, spanCount, cancellationToken);
        Report.Add(result);
        if (!result.Delivered) throw new DeliveryStoppedException(result);
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _encoder.Dispose();
}

/// <summary>Thrown by <see cref="EndpointSpanSink"/> to stop an export at the first undeliverable request.</summary>
public sealed class DeliveryStoppedException(OtlpSendResult result) : Exception(result.Message)
{
    public OtlpSendResult Result { get; } = result;
}
