using System.Text.Json;
using AgentStrace.Otlp.Export;
using AgentStrace.Otlp.Json;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Output;
using AgentStrace.Spans;

namespace AgentStrace.Export;

/// <summary>
/// Encodes each batch for the endpoint's protocol (protobuf for http/protobuf and gRPC, OTLP/JSON for http/json)
/// and delivers it. The first failed request stops the export: the collector is down or refuses the data, and
/// sending the rest would only repeat the error.
/// </summary>
public sealed class EndpointSpanSink(OtlpTransport transport, bool dryRun) : ISpanBatchSink, IDisposable
{
    private readonly ProtoWriter _proto = new();
    private readonly PooledBuffer _json = new();

    public OtlpDeliveryReport Report { get; } = new(OtlpSignal.Traces);
    public long EncodedBytes { get; private set; }

    public async Task WriteAsync(IReadOnlyList<ResourceSpans> batch, int spanCount, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> body;
        if (transport.Settings.Protocol == OtlpProtocol.HttpJson)
        {
            _json.Reset();
            using (var writer = new Utf8JsonWriter(_json, new JsonWriterOptions { SkipValidation = true }))
            {
                OtlpJsonTraceWriter.Write(writer, batch);
            }
            body = _json.WrittenMemory;
        }
        else
        {
            _proto.Reset();
            TraceRequestWriter.Write(_proto, batch);
            body = _proto.WrittenMemory;
        }
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

    public void Dispose()
    {
        _proto.Dispose();
        _json.Dispose();
    }
}

/// <summary>Thrown by <see cref="EndpointSpanSink"/> to stop an export at the first undeliverable request.</summary>
public sealed class DeliveryStoppedException(OtlpSendResult result) : Exception(result.Message)
{
    public OtlpSendResult Result { get; } = result;
}
