using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using AgentStrace.Otlp.Internal;

namespace AgentStrace.Otlp.Transport;

/// <summary>One HTTP exchange and how its response is read.</summary>
public sealed partial class OtlpTransport
{
    private async Task<AttemptOutcome> AttemptAsync(Target target, ReadOnlyMemory<byte> payload, TimeSpan? remaining, CancellationToken cancellationToken)
    {
        bool grpc = target.Grpc;
        using var request = new HttpRequestMessage(target.Get ? HttpMethod.Get : HttpMethod.Post, target.Url);
        HttpContent? content = null; // a GET (a check, not a delivery) has no body, so no content headers
        if (grpc)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact; // h2c prior knowledge for http:// URLs
            content = new GrpcFrameContent(payload, target.Gzip);
            request.Headers.TryAddWithoutValidation("te", "trailers");
            if (target.Gzip) request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
            request.Headers.TryAddWithoutValidation("grpc-accept-encoding", "gzip");
            if (remaining is { } r) request.Headers.TryAddWithoutValidation("grpc-timeout", GrpcTimeout(r));
        }
        else if (!target.Get)
        {
            content = new ReadOnlyMemoryContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue(target.Protocol == OtlpProtocol.HttpJson ? "application/json" : "application/x-protobuf");
            if (target.Gzip) content.Headers.ContentEncoding.Add("gzip");
        }
        request.Content = content;
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        foreach (KeyValuePair<string, string> header in Settings.Headers)
        {
            string name = grpc ? header.Key.ToLowerInvariant() : header.Key;
            request.Headers.Remove(name);
            if (request.Headers.TryAddWithoutValidation(name, header.Value) || content is null) continue;
            content.Headers.Remove(name); // e.g. a user-given Content-Type replaces ours
            content.Headers.TryAddWithoutValidation(name, header.Value);
        }

        using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        using PooledBufferStream body = new(4096);
        bool tooLarge = await ReadBodyAsync(response, body, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (tooLarge)
        {
            return new AttemptOutcome { HttpStatus = status, Detail = $"HTTP {status}: the response is larger than 4 MiB", Hint = target.Otlp ? "is --endpoint an OTLP receiver?" : null };
        }
        return grpc ? ReadGrpc(target, response, body.WrittenMemory.Span) : ReadHttp(target, response, body.WrittenMemory.Span);
    }

    private AttemptOutcome ReadHttp(Target target, HttpResponseMessage response, ReadOnlySpan<byte> raw)
    {
        int status = (int)response.StatusCode;
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        // Note: responses are read compressed (no automatic decompression) so a gzip bomb is refused at 4 MiB of
        // output here instead of being inflated without limit.
        bool tooLarge = false;
        byte[]? decoded = null;
        bool gzip = response.Content.Headers.ContentEncoding.Any(e => e.Equals("gzip", StringComparison.OrdinalIgnoreCase));
        if (gzip) BoundedGzip.TryInflate(raw, MaxResponseBytes, out decoded, out tooLarge);
        ReadOnlySpan<byte> body = gzip ? decoded : raw;
        if (status is >= 200 and < 300)
        {
            if (tooLarge) return new AttemptOutcome { Delivered = true, HttpStatus = status, Detail = InflatedTooLarge };
            if (!target.Otlp)
            {
                long count = 0;
                string why = "";
                bool rejections = target.ReadItems is { } read && !body.IsEmpty && read(body, out count, out why) && count > 0;
                return rejections
                    ? new AttemptOutcome { Delivered = true, HttpStatus = status, Rejected = count, Detail = why }
                    : new AttemptOutcome { Delivered = true, HttpStatus = status, Detail = "" };
            }
            bool json = mediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? target.Protocol == OtlpProtocol.HttpJson;
            long rejected = 0;
            string message = "";
            bool partial = !body.IsEmpty && (json
                ? OtlpResponseParser.TryParsePartialSuccessJson(body, out rejected, out message)
                : OtlpResponseParser.TryParsePartialSuccessProto(body, out rejected, out message));
            return new AttemptOutcome { Delivered = true, HttpStatus = status, Rejected = partial ? rejected : 0, Detail = partial ? message : "" };
        }

        string serverMessage = tooLarge ? InflatedTooLarge : ServerMessage(body, mediaType);
        string reason = response.ReasonPhrase is { Length: > 0 } p ? " " + OneLine(p) : "";
        TimeSpan? throttle = status is 429 or 503 ? OtlpRetry.ParseRetryAfter(RetryAfter(response), _time.GetUtcNow()) : null;
        return new AttemptOutcome
        {
            HttpStatus = status,
            Retryable = OtlpRetry.IsRetryableHttpStatus(status),
            Throttle = throttle,
            Detail = $"HTTP {status}{reason}" + (serverMessage.Length > 0 ? ": " + serverMessage : ""),
            Hint = HttpHint(target, status, response),
        };
    }

    private AttemptOutcome ReadGrpc(Target target, HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        int status = (int)response.StatusCode;
        if (status != 200)
        {
            AttemptOutcome http = ReadHttp(target, response, body);
            return http with { Delivered = false, Hint = http.Hint ?? "is --endpoint a gRPC (HTTP/2) OTLP port, usually 4317?" };
        }
        // Trailers-only responses carry grpc-status in the headers.
        string? code = Header(response.TrailingHeaders, "grpc-status") ?? Header(response.Headers, "grpc-status");
        if (code is null || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int grpcStatus))
        {
            // A value that is not a status code is named as such (cut and stripped of control characters), not as missing.
            string detail = code is null ? "the gRPC response has no grpc-status"
                : $"the gRPC response has an invalid grpc-status \"{Output.Text.OneLine(code, 40)}\"";
            return new AttemptOutcome { HttpStatus = status, Retryable = true, Detail = detail, Hint = "is --endpoint an OTLP/gRPC receiver?" };
        }
        if (grpcStatus == 0)
        {
            long rejected = 0;
            string message = "";
            Unframed unframed = TryUnframe(response, body, out ReadOnlySpan<byte> message0, out byte[]? inflated);
            if (unframed == Unframed.TooLarge) return new AttemptOutcome { Delivered = true, HttpStatus = status, GrpcStatus = 0, Detail = InflatedTooLarge };
            bool partial = unframed == Unframed.Ok
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
            Hint = GrpcHint(target, grpcStatus),
        };
    }

    private enum Unframed { Ok, Unreadable, TooLarge }

    private static Unframed TryUnframe(HttpResponseMessage response, ReadOnlySpan<byte> body, out ReadOnlySpan<byte> message, out byte[]? inflated)
    {
        message = default;
        inflated = null;
        if (body.Length < 5) return Unframed.Unreadable;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(body[1..]);
        if (length > body.Length - 5) return Unframed.Unreadable;
        message = body.Slice(5, (int)length);
        if (body[0] == 0) return Unframed.Ok;
        if (!string.Equals(Header(response.Headers, "grpc-encoding"), "gzip", StringComparison.OrdinalIgnoreCase)) return Unframed.Unreadable;
        if (BoundedGzip.TryInflate(message, MaxResponseBytes, out inflated, out bool tooLarge)) return Unframed.Ok;
        return tooLarge ? Unframed.TooLarge : Unframed.Unreadable;
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
