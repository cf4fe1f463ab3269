using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using AgentStrace.Otlp.Internal;

namespace AgentStrace.Otlp.Export;

/// <summary>One HTTP exchange and how its response is read.</summary>
public sealed partial class OtlpTransport
{
    private async Task<AttemptOutcome> AttemptAsync(ReadOnlyMemory<byte> payload, TimeSpan? remaining, CancellationToken cancellationToken)
    {
        bool grpc = Settings.Protocol == OtlpProtocol.Grpc;
        using var request = new HttpRequestMessage(HttpMethod.Post, Settings.Url);
        HttpContent content;
        if (grpc)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact; // h2c prior knowledge for http:// URLs
            content = new GrpcFrameContent(payload, Settings.Gzip);
            request.Headers.TryAddWithoutValidation("te", "trailers");
            if (Settings.Gzip) request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
            request.Headers.TryAddWithoutValidation("grpc-accept-encoding", "gzip");
            if (remaining is { } r) request.Headers.TryAddWithoutValidation("grpc-timeout", GrpcTimeout(r));
        }
        else
        {
            content = new ReadOnlyMemoryContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue(Settings.Protocol == OtlpProtocol.HttpJson ? "application/json" : "application/x-protobuf");
            if (Settings.Gzip) content.Headers.ContentEncoding.Add("gzip");
        }
        request.Content = content;
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        foreach (KeyValuePair<string, string> header in Settings.Headers)
        {
            string name = grpc ? header.Key.ToLowerInvariant() : header.Key;
            request.Headers.Remove(name);
            if (request.Headers.TryAddWithoutValidation(name, header.Value)) continue;
            content.Headers.Remove(name); // e.g. a user-given Content-Type replaces ours
            content.Headers.TryAddWithoutValidation(name, header.Value);
        }

        using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        using PooledBufferStream body = new(4096);
        bool tooLarge = await ReadBodyAsync(response, body, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (tooLarge)
        {
            return new AttemptOutcome { HttpStatus = status, Detail = $"HTTP {status}: the response is larger than 4 MiB", Hint = "is --endpoint an OTLP receiver?" };
        }
        return grpc ? ReadGrpc(response, body.WrittenMemory.Span) : ReadHttp(response, body.WrittenMemory.Span);
    }

    private AttemptOutcome ReadHttp(HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        int status = (int)response.StatusCode;
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (status is >= 200 and < 300)
        {
            bool json = mediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? Settings.Protocol == OtlpProtocol.HttpJson;
            long rejected = 0;
            string message = "";
            bool partial = !body.IsEmpty && (json
                ? OtlpResponseParser.TryParsePartialSuccessJson(body, out rejected, out message)
                : OtlpResponseParser.TryParsePartialSuccessProto(body, out rejected, out message));
            return new AttemptOutcome { Delivered = true, HttpStatus = status, Rejected = partial ? rejected : 0, Detail = partial ? message : "" };
        }

        string serverMessage = ServerMessage(body, mediaType);
        string reason = response.ReasonPhrase is { Length: > 0 } p ? " " + p : "";
        TimeSpan? throttle = status is 429 or 503 ? OtlpRetry.ParseRetryAfter(RetryAfter(response), _time.GetUtcNow()) : null;
        return new AttemptOutcome
        {
            HttpStatus = status,
            Retryable = OtlpRetry.IsRetryableHttpStatus(status),
            Throttle = throttle,
            Detail = $"HTTP {status}{reason}" + (serverMessage.Length > 0 ? ": " + serverMessage : ""),
            Hint = HttpHint(status, response),
        };
    }

    private AttemptOutcome ReadGrpc(HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        int status = (int)response.StatusCode;
        if (status != 200)
        {
            AttemptOutcome http = ReadHttp(response, body);
            return http with { Delivered = false, Hint = http.Hint ?? "is --endpoint a gRPC (HTTP/2) OTLP port, usually 4317?" };
        }
        // Trailers-only responses carry grpc-status in the headers.
        string? code = Header(response.TrailingHeaders, "grpc-status") ?? Header(response.Headers, "grpc-status");
        if (code is null || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int grpcStatus))
        {
            return new AttemptOutcome { HttpStatus = status, Retryable = true, Detail = "the gRPC response has no grpc-status", Hint = "is --endpoint an OTLP/gRPC receiver?" };
        }
        if (grpcStatus == 0)
        {
            long rejected = 0;
            string message = "";
            bool partial = TryUnframe(response, body, out ReadOnlySpan<byte> message0, out byte[]? inflated)
                && OtlpResponseParser.TryParsePartialSuccessProto(inflated ?? message0, out rejected, out message);
            return new AttemptOutcome { Delivered = true, HttpStatus = status, GrpcStatus = 0, Rejected = partial ? rejected : 0, Detail = partial ? message : "" };
        }

        string grpcMessage = PercentDecoding.DecodeLenient(Header(response.TrailingHeaders, "grpc-message") ?? Header(response.Headers, "grpc-message") ?? "");
        TimeSpan? throttle = null;
        if ((Header(response.TrailingHeaders, "grpc-status-details-bin") ?? Header(response.Headers, "grpc-status-details-bin")) is { } details)
        {
            try { throttle = OtlpResponseParser.RetryInfoDelay(Convert.FromBase64String(PadBase64(details))); }
            catch (FormatException) { }
        }
        return new AttemptOutcome
        {
            HttpStatus = status,
            GrpcStatus = grpcStatus,
            Retryable = OtlpRetry.IsRetryableGrpcStatus(grpcStatus, throttle is not null),
            Throttle = throttle,
            Detail = $"gRPC status {grpcStatus} {GrpcCodeName(grpcStatus)}" + (grpcMessage.Length > 0 ? ": " + OneLine(grpcMessage) : ""),
            Hint = GrpcHint(grpcStatus),
        };
    }

    private static bool TryUnframe(HttpResponseMessage response, ReadOnlySpan<byte> body, out ReadOnlySpan<byte> message, out byte[]? inflated)
    {
        message = default;
        inflated = null;
        if (body.Length < 5) return false;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(body[1..]);
        if (length > body.Length - 5) return false;
        message = body.Slice(5, (int)length);
        if (body[0] == 0) return true;
        if (!string.Equals(Header(response.Headers, "grpc-encoding"), "gzip", StringComparison.OrdinalIgnoreCase)) return false;
        using var input = new MemoryStream(message.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        inflated = output.ToArray();
        return true;
    }

    /// <summary>Reads the body into <paramref name="into"/>; true when it exceeds <see cref="MaxResponseBytes"/>.</summary>
    private static async Task<bool> ReadBodyAsync(HttpResponseMessage response, PooledBufferStream into, CancellationToken cancellationToken)
    {
        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (into.Length + read > MaxResponseBytes) return true;
                into.Write(chunk.AsSpan(0, read));
            }
        }
        return false;
    }

    /// <summary>grpc-timeout: at most 8 digits plus a unit.</summary>
    private static string GrpcTimeout(TimeSpan remaining)
    {
        long ms = Math.Max(1, (long)remaining.TotalMilliseconds);
        return ms < 100_000_000 ? ms.ToString(CultureInfo.InvariantCulture) + "m" : Math.Min(99_999_999, ms / 1000).ToString(CultureInfo.InvariantCulture) + "S";
    }

    private static string? RetryAfter(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Retry-After", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static string PadBase64(string s) => (s.Length % 4) switch { 2 => s + "==", 3 => s + "=", _ => s };
}
