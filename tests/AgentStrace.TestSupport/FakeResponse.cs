using System.Text;
using Google.Protobuf;

namespace AgentStrace.Testing;

/// <summary>What <see cref="FakeCollector"/> answers to one request. Build with the static helpers.</summary>
public sealed record FakeResponse
{
    public int Status { get; init; } = 200;
    public string? ContentType { get; init; }
    public byte[] Body { get; init; } = [];
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>Wait this long before answering (a hanging server when longer than the client's timeout).</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Drop the connection instead of answering.</summary>
    public bool Abort { get; init; }
    /// <summary>gRPC only: the grpc-status trailer (0 = OK).</summary>
    public int GrpcStatus { get; init; }
    public string? GrpcMessage { get; init; }

    /// <summary>Sent as the grpc-status trailer instead of <see cref="GrpcStatus"/> (a server's garbage).</summary>
    public string? GrpcStatusText { get; init; }
    /// <summary>gRPC only: a base64 google.rpc.Status for grpc-status-details-bin.</summary>
    public string? GrpcStatusDetails { get; init; }
    /// <summary>gRPC only: <see cref="Body"/> is already gzip, sent with the compressed flag and <c>grpc-encoding: gzip</c>.</summary>
    public bool GrpcCompressed { get; init; }
    /// <summary>Announce <c>Content-Length</c> of the whole body, send half of it, then drop the connection.</summary>
    public bool CutShort { get; init; }

    public static FakeResponse Ok() => new();

    public static FakeResponse WithStatus(int status, string? text = null) =>
        new() { Status = status, ContentType = text is null ? null : "text/plain", Body = text is null ? [] : Encoding.UTF8.GetBytes(text) };

    public static FakeResponse RetryAfter(int status, string retryAfter) =>
        new() { Status = status, Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } };

    /// <summary>An error with a protobuf <c>google.rpc.Status</c> body (as OTLP/HTTP servers answer).</summary>
    public static FakeResponse RpcStatus(int status, int code, string message) =>
        new() { Status = status, ContentType = "application/x-protobuf", Body = EncodeRpcStatus(code, message) };

    /// <summary>200 with <c>ExportTraceServiceResponse.partial_success</c> in protobuf.</summary>
    public static FakeResponse PartialSuccessProtobuf(long rejected, string message) =>
        new() { ContentType = "application/x-protobuf", Body = EncodePartialSuccess(rejected, message) };

    /// <summary>200 with <c>partialSuccess</c> in OTLP/JSON (int64 as a string).</summary>
    public static FakeResponse PartialSuccessJson(long rejected, string message, string countField = "rejectedSpans") =>
        new()
        {
            ContentType = "application/json",
            Body = Encoding.UTF8.GetBytes("{\"partialSuccess\":{\"" + countField + "\":\"" + rejected + "\",\"errorMessage\":\"" + System.Text.Json.JsonEncodedText.Encode(message) + "\"}}"),
        };

    public static FakeResponse Hang(TimeSpan delay) => new() { Delay = delay };

    public static FakeResponse Grpc(int code, string? message = null) => new() { GrpcStatus = code, GrpcMessage = message };

    /// <summary>gRPC OK whose response message carries a partial success.</summary>
    public static FakeResponse GrpcPartialSuccess(long rejected, string message) => new() { Body = EncodePartialSuccess(rejected, message) };

    public static byte[] EncodePartialSuccess(long rejected, string message)
    {
        using var inner = new MemoryStream();
        var w = new CodedOutputStream(inner);
        w.WriteTag(1, WireFormat.WireType.Varint);
        w.WriteInt64(rejected);
        w.WriteTag(2, WireFormat.WireType.LengthDelimited);
        w.WriteString(message);
        w.Flush();
        using var outer = new MemoryStream();
        var o = new CodedOutputStream(outer);
        o.WriteTag(1, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(inner.ToArray()));
        o.Flush();
        return outer.ToArray();
    }

    public static byte[] EncodeRpcStatus(int code, string message)
    {
        using var ms = new MemoryStream();
        var w = new CodedOutputStream(ms);
        w.WriteTag(1, WireFormat.WireType.Varint);
        w.WriteInt32(code);
        w.WriteTag(2, WireFormat.WireType.LengthDelimited);
        w.WriteString(message);
        w.Flush();
        return ms.ToArray();
    }
}
