using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentStrace.Otlp.Json;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Output;
using AgentStrace.Spans;

namespace AgentStrace.Export;

/// <summary>
/// Writes batches to stdout or a file as one OTLP request, streamed: OTLP/JSON (<c>{"resourceSpans":[…]}</c>,
/// 2-space indented as upstream writes it) or protobuf (batches concatenated, which protobuf reads as one merged
/// <c>ExportTraceServiceRequest</c>). Either can be POSTed to a collector as is.
/// </summary>
public sealed class FileSpanSink : ISpanBatchSink, IDisposable
{
    private readonly OutputTarget _target;
    private readonly Utf8JsonWriter? _json;
    private readonly ProtoWriter? _proto;

    public FileSpanSink(OutputTarget target, bool protobuf)
    {
        _target = target;
        if (protobuf)
        {
            _proto = new ProtoWriter();
        }
        else
        {
            _json = new Utf8JsonWriter(target.Writer, new JsonWriterOptions
            {
                Indented = true,
                IndentSize = 2,
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                SkipValidation = true,
            });
            _json.WriteStartObject();
            _json.WritePropertyName("resourceSpans");
            _json.WriteStartArray();
        }
    }

    public long Bytes { get; private set; }

    public Task WriteAsync(IReadOnlyList<ResourceSpans> batch, int spanCount, CancellationToken cancellationToken)
    {
        if (_json is not null)
        {
            foreach (ResourceSpans r in batch) OtlpJsonTraceWriter.WriteResourceSpans(_json, r);
            _json.Flush();
        }
        else
        {
            _proto!.Reset();
            TraceRequestWriter.Write(_proto, batch);
            _target.Writer.Write(_proto.WrittenSpan);
            Bytes += _proto.Length;
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_json is not null)
        {
            _json.WriteEndArray();
            _json.WriteEndObject();
            _json.Flush();
            _target.Writer.Write("\n"u8);
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _json?.Dispose();
        _proto?.Dispose();
    }
}
