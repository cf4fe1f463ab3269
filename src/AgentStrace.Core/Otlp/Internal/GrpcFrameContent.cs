using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace AgentStrace.Otlp.Internal;

/// <summary>
/// One gRPC Length-Prefixed-Message (grpc/grpc <c>doc/PROTOCOL-HTTP2.md</c>): 1 byte compressed flag, 4-byte
/// big-endian length, then the protobuf (or gzip of it). Written without copying the message.
/// </summary>
internal sealed class GrpcFrameContent : HttpContent
{
    private readonly ReadOnlyMemory<byte> _message;
    private readonly bool _compressed;

    public GrpcFrameContent(ReadOnlyMemory<byte> message, bool compressed)
    {
        _message = message;
        _compressed = compressed;
        Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] prefix = new byte[5];
        prefix[0] = _compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)_message.Length);
        await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(_message, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 5L + _message.Length;
        return true;
    }
}
