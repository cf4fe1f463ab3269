using System.Text.Json;
using AgentStrace.Otlp.Internal;
using AgentStrace.Otlp.Json;
using AgentStrace.Otlp.Metrics;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Spans;

namespace AgentStrace.Otlp.Transport;

/// <summary>
/// Encodes one OTLP request body for a protocol: protobuf for http/protobuf and gRPC, OTLP/JSON for http/json. The
/// one place a batch becomes bytes for <see cref="OtlpTransport"/> (exports, watch streaming, metrics).
/// </summary>
/// <remarks>Reuses its pooled buffers: the memory returned is valid until the next call. Buffers are cleared when
/// they go back to the pool (payloads hold prompts).</remarks>
public sealed class OtlpRequestEncoder(OtlpProtocol protocol) : IDisposable
{
    private static readonly JsonWriterOptions s_json = new() { SkipValidation = true };
    private readonly ProtoWriter _proto = new();
    private readonly PooledBuffer _json = new();

    public ReadOnlyMemory<byte> Encode(IReadOnlyList<ResourceSpans> batch) =>
        protocol == OtlpProtocol.HttpJson
            ? Json(batch, static (w, b) => OtlpJsonTraceWriter.Write(w, b))
            : Proto(batch, static (w, b) => TraceRequestWriter.Write(w, b));

    public ReadOnlyMemory<byte> Encode(ResourceMetricsData payload) =>
        protocol == OtlpProtocol.HttpJson
            ? Json(payload, static (w, p) => OtlpJsonMetricsWriter.Write(w, p))
            : Proto(payload, static (w, p) => MetricsRequestWriter.Write(w, p));

    public void Dispose()
    {
        _proto.Dispose();
        _json.Dispose();
    }

    private ReadOnlyMemory<byte> Json<T>(T data, Action<Utf8JsonWriter, T> write)
    {
        _json.Reset();
        using (var writer = new Utf8JsonWriter(_json, s_json)) write(writer, data);
        return _json.WrittenMemory;
    }

    private ReadOnlyMemory<byte> Proto<T>(T data, Action<ProtoWriter, T> write)
    {
        _proto.Reset();
        write(_proto, data);
        return _proto.WrittenMemory;
    }
}
