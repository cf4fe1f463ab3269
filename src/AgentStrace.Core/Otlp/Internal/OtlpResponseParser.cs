using System.Text;
using System.Text.Json;
using AgentStrace.Otlp.Json;
using AgentStrace.Otlp.Protobuf;
using static AgentStrace.Otlp.Protobuf.OtlpFieldNumbers;

namespace AgentStrace.Otlp.Internal;

/// <summary>Reads what OTLP receivers answer: partial success (protobuf or JSON), <c>google.rpc.Status</c> and <c>RetryInfo</c>.</summary>
internal static class OtlpResponseParser
{
    /// <summary>
    /// <c>Export{Trace,Metrics}ServiceResponse.partial_success</c> from protobuf; both signals use field 1 for the
    /// rejected count and 2 for the message. Returns false when there is no partial success or the bytes are malformed.
    /// </summary>
    public static bool TryParsePartialSuccessProto(ReadOnlySpan<byte> body, out long rejected, out string message)
    {
        rejected = 0;
        message = "";
        var reader = new ProtoReader(body);
        bool found = false;
        while (reader.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field != ExportTraceServiceResponse_Partial_Success || wire != ProtoWireType.Len)
            {
                reader.Skip(wire);
                continue;
            }
            var inner = new ProtoReader(reader.ReadLengthDelimited());
            while (inner.TryReadTag(out int f, out ProtoWireType w))
            {
                if (f == ExportTracePartialSuccess_Rejected_Spans && w == ProtoWireType.Varint) rejected = (long)inner.ReadVarint();
                else if (f == ExportTracePartialSuccess_Error_Message && w == ProtoWireType.Len) message = Encoding.UTF8.GetString(inner.ReadLengthDelimited());
                else inner.Skip(w);
            }
            found = !inner.Failed;
        }
        return found && !reader.Failed && (rejected != 0 || message.Length > 0);
    }

    /// <summary><c>{"partialSuccess":{"rejectedSpans"|"rejectedDataPoints": "N"|N, "errorMessage": "…"}}</c>.</summary>
    public static bool TryParsePartialSuccessJson(ReadOnlySpan<byte> body, out long rejected, out string message)
    {
        rejected = 0;
        message = "";
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals(JsonNames.PartialSuccess.EncodedUtf8Bytes))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isCount = reader.ValueTextEquals(JsonNames.RejectedSpans.EncodedUtf8Bytes) || reader.ValueTextEquals(JsonNames.RejectedDataPoints.EncodedUtf8Bytes);
                    bool isMessage = reader.ValueTextEquals(JsonNames.ErrorMessage.EncodedUtf8Bytes);
                    reader.Read();
                    if (isCount && reader.TokenType == JsonTokenType.Number) rejected = reader.GetInt64();
                    else if (isCount && reader.TokenType == JsonTokenType.String) _ = long.TryParse(reader.GetString(), out rejected);
                    else if (isMessage && reader.TokenType == JsonTokenType.String) message = reader.GetString() ?? "";
                    else reader.Skip();
                }
            }
            return rejected != 0 || message.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The <c>message</c> (field 2) of a protobuf <c>google.rpc.Status</c>, or null.</summary>
    public static string? StatusMessage(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body);
        string? message = null;
        while (reader.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field == 2 && wire == ProtoWireType.Len) message = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
            else reader.Skip(wire);
        }
        return reader.Failed ? null : message;
    }

    /// <summary>The <c>RetryInfo.retry_delay</c> inside a <c>google.rpc.Status</c>'s details (gRPC <c>grpc-status-details-bin</c>).</summary>
    public static TimeSpan? RetryInfoDelay(ReadOnlySpan<byte> status)
    {
        var reader = new ProtoReader(status);
        while (reader.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field != 3 || wire != ProtoWireType.Len)
            {
                reader.Skip(wire);
                continue;
            }
            var any = new ProtoReader(reader.ReadLengthDelimited());
            bool isRetryInfo = false;
            ReadOnlySpan<byte> value = default;
            while (any.TryReadTag(out int f, out ProtoWireType w))
            {
                if (f == 1 && w == ProtoWireType.Len) isRetryInfo = any.ReadLengthDelimited().EndsWith("google.rpc.RetryInfo"u8);
                else if (f == 2 && w == ProtoWireType.Len) value = any.ReadLengthDelimited();
                else any.Skip(w);
            }
            if (isRetryInfo && ReadDuration(value) is { } delay) return delay;
        }
        return null;
    }

    private static TimeSpan? ReadDuration(ReadOnlySpan<byte> retryInfo)
    {
        var reader = new ProtoReader(retryInfo);
        while (reader.TryReadTag(out int field, out ProtoWireType wire))
        {
            if (field != 1 || wire != ProtoWireType.Len)
            {
                reader.Skip(wire);
                continue;
            }
            var duration = new ProtoReader(reader.ReadLengthDelimited());
            long seconds = 0, nanos = 0;
            while (duration.TryReadTag(out int f, out ProtoWireType w))
            {
                if (f == 1 && w == ProtoWireType.Varint) seconds = (long)duration.ReadVarint();
                else if (f == 2 && w == ProtoWireType.Varint) nanos = (int)duration.ReadVarint();
                else duration.Skip(w);
            }
            if (duration.Failed || seconds < 0 || seconds > 86_400) return null;
            return TimeSpan.FromSeconds(seconds) + TimeSpan.FromTicks(Math.Max(0, nanos) / 100);
        }
        return null;
    }
}
