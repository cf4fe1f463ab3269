using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using AgentStrace.Otlp.Internal;

namespace AgentStrace.Otlp.Transport;

/// <summary>Outcomes and the one-line messages users see.</summary>
public sealed partial class OtlpTransport
{
    private const int MaxServerMessageChars = 200;
    private const string InflatedTooLarge = "the response inflates to more than 4 MiB and was ignored";

    private readonly record struct AttemptOutcome
    {
        public bool Delivered { get; init; }
        public bool Retryable { get; init; }
        public int HttpStatus { get; init; }
        public int? GrpcStatus { get; init; }
        public TimeSpan? Throttle { get; init; }
        public long Rejected { get; init; }
        /// <summary>What went wrong (or the partial-success message), without the URL.</summary>
        public string Detail { get; init; }
        public string? Hint { get; init; }
        /// <summary>The attempt ran out of the overall time (no answer of its own).</summary>
        public bool Deadline { get; init; }
    }

    private AttemptOutcome TimedOut(Target target) => new()
    {
        Deadline = true,
        Detail = Settings.Timeout is { } t
            ? $"no response within the {Seconds(t)} s timeout (--timeout, OTEL_EXPORTER_OTLP_TIMEOUT)"
            : "no response",
        Hint = $"is the server at {target.HostPort} responding?",
    };

    /// <summary>The one place a network error becomes a sentence (and a hint) for the user.</summary>
    private static AttemptOutcome NetworkFailure(Target target, HttpRequestException ex)
    {
        SocketError? socket = (ex.InnerException as SocketException)?.SocketErrorCode;
        const string GrpcPortHint = "is --endpoint a gRPC (HTTP/2) port (usually 4317, while OTLP/HTTP is 4318)?";
        (string detail, string? hint) = (ex.HttpRequestError, socket) switch
        {
            (_, SocketError.ConnectionRefused) => ("connection refused", $"is {(target.Otlp ? "a collector" : "the server")} listening on {target.HostPort}?"),
            (HttpRequestError.NameResolutionError, _) => ($"cannot resolve host '{target.Url.Host}'", "check the host name"),
            (HttpRequestError.SecureConnectionError, _) => ("TLS handshake failed: " + OneLine(ex.InnerException?.Message ?? ex.Message),
                "for a private CA set OTEL_EXPORTER_OTLP_CERTIFICATE to its PEM file; for a plain-text server use http://"),
            (HttpRequestError.HttpProtocolError or HttpRequestError.VersionNegotiationError, _) when target.Grpc =>
                ("HTTP/2 protocol error: " + OneLine(ex.Message), GrpcPortHint),
            (HttpRequestError.ResponseEnded, _) => ("the server closed the connection without a response", target.Otlp ? $"is {target.HostPort} an OTLP receiver?" : null),
            _ when target.Grpc => (OneLine(ex.Message), GrpcPortHint),
            _ => (OneLine(ex.Message), null),
        };
        // A certificate the client does not trust will not be trusted a second later: not retried.
        return new AttemptOutcome { Retryable = ex.HttpRequestError != HttpRequestError.SecureConnectionError, Detail = detail, Hint = hint };
    }

    private OtlpSendResult Delivered(Target target, AttemptOutcome outcome, int attempts, long start, int itemCount)
    {
        string items = target.Otlp ? Settings.Signal.ItemName() : target.Items;
        string display = OtlpUrls.Display(target.Url);
        string message = outcome.Detail.Length == 0 && outcome.Rejected == 0 ? ""
            : outcome.Rejected > 0
                ? $"The receiver at {display} rejected {outcome.Rejected} of {itemCount} {items}" + (outcome.Detail.Length > 0 ? ": " + OneLine(outcome.Detail) : ".")
                : $"The receiver at {display} accepted the {items} with a warning: {OneLine(outcome.Detail)}";
        return new OtlpSendResult
        {
            Delivered = true,
            Rejected = outcome.Rejected,
            ItemCount = itemCount,
            HttpStatus = outcome.HttpStatus,
            GrpcStatus = outcome.GrpcStatus,
            Attempts = attempts,
            Elapsed = _time.GetElapsedTime(start),
            Message = _scrubber.Scrub(message),
        };
    }

    private OtlpSendResult Failure(Target target, AttemptOutcome outcome, RetryStopReason reason, int attempts, long start, int itemCount)
    {
        TimeSpan elapsed = _time.GetElapsedTime(start);
        var text = new StringBuilder($"{target.What} to {OtlpUrls.Display(target.Url)} failed");
        if (attempts > 1) text.Append(CultureInfo.InvariantCulture, $" after {attempts} attempts in {Seconds(elapsed)} s");
        text.Append(": ").Append(outcome.Detail);
        if (reason == RetryStopReason.Deadline && outcome.Retryable) text.Append(" (no time left to retry within the timeout)");
        if (outcome.Hint is { } hint) text.Append("; ").Append(hint);
        if (text[^1] is not ('?' or '.')) text.Append('.');
        return new OtlpSendResult
        {
            Delivered = false,
            ItemCount = itemCount,
            HttpStatus = outcome.HttpStatus,
            GrpcStatus = outcome.GrpcStatus,
            Attempts = attempts,
            Elapsed = elapsed,
            Message = _scrubber.Scrub(text.ToString()),
        };
    }

    /// <summary>The server's explanation: a protobuf <c>google.rpc.Status</c> message, a JSON <c>message</c>, or text.</summary>
    private static string ServerMessage(ReadOnlySpan<byte> body, string? mediaType)
    {
        if (body.IsEmpty) return "";
        string? text = null;
        if (mediaType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true) text = OtlpResponseParser.StatusMessage(body);
        else if (mediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true) text = JsonMessage(body);
        text ??= Encoding.UTF8.GetString(body[..Math.Min(body.Length, 4 * MaxServerMessageChars)]);
        return OneLine(text);
    }

    private static string? JsonMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                bool isMessage = reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isMessage && reader.TokenType == System.Text.Json.JsonTokenType.String) return reader.GetString();
                reader.Skip();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return null;
    }

    private static string? HttpHint(Target target, int status, HttpResponseMessage response) => status switch
    {
        400 => "the receiver rejected the data as invalid (not retried)",
        401 or 403 => "check the API key header (--header, OTEL_EXPORTER_OTLP_HEADERS, or the backend's key variable)",
        404 => target.Otlp ? $"is {target.Url.AbsolutePath} the receiver's OTLP path? Give the full signal URL as --endpoint" : $"is {target.Url.AbsolutePath} served by this host?",
        405 => target.Otlp ? "is --endpoint an OTLP receiver?" : null,
        413 => "the request is too large for the receiver: export smaller batches (--batch-spans)",
        415 => target.Protocol == OtlpProtocol.HttpJson ? "the receiver does not take OTLP/JSON: try --protocol http/protobuf" : "the receiver does not take this encoding: check --protocol",
        >= 300 and < 400 => response.Headers.Location is { } location
            ? $"the server redirects to {(location.IsAbsoluteUri ? OtlpUrls.Display(location) : location.OriginalString.Split('?')[0])}: use that URL as --endpoint"
            : "the server redirects: use the final URL as --endpoint",
        429 or 502 or 503 or 504 => "the receiver is throttling or unavailable; try again later or raise --timeout",
        _ => null,
    };

    private string? GrpcHint(Target target, int code) => code switch
    {
        3 => "the receiver rejected the data as invalid (not retried)",
        7 or 16 => "check the API key header (--header, OTEL_EXPORTER_OTLP_HEADERS, or the backend's key variable)",
        8 => "the request is too large or the receiver is throttling: export smaller batches (--batch-spans)",
        12 => $"the server does not implement the OTLP {Settings.Signal.ToString().ToLowerInvariant()} service: is it an OTLP/gRPC receiver?",
        14 => $"is the receiver at {target.HostPort} up?",
        _ => null,
    };

    private static string GrpcCodeName(int code) => code switch
    {
        1 => "CANCELLED",
        2 => "UNKNOWN",
        3 => "INVALID_ARGUMENT",
        4 => "DEADLINE_EXCEEDED",
        5 => "NOT_FOUND",
        6 => "ALREADY_EXISTS",
        7 => "PERMISSION_DENIED",
        8 => "RESOURCE_EXHAUSTED",
        9 => "FAILED_PRECONDITION",
        10 => "ABORTED",
        11 => "OUT_OF_RANGE",
        12 => "UNIMPLEMENTED",
        13 => "INTERNAL",
        14 => "UNAVAILABLE",
        15 => "DATA_LOSS",
        16 => "UNAUTHENTICATED",
        _ => "",
    };

    private static string OneLine(string text) => Output.Text.OneLine(text, MaxServerMessageChars);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
