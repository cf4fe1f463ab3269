using System.IO.Compression;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AgentStrace.Otlp.Internal;
using AgentStrace.Spans;

namespace AgentStrace.Otlp.Transport;

/// <summary>
/// Delivers encoded OTLP requests: OTLP/HTTP (protobuf or JSON) or OTLP/gRPC framed by hand over HTTP/2, with
/// optional gzip and the spec's retry policy (<see cref="OtlpRetry"/>) bounded by the overall timeout.
/// </summary>
/// <remarks>
/// The body must match <see cref="OtlpSettings.Protocol"/>: protobuf (<c>TraceRequestWriter</c>) for
/// <see cref="OtlpProtocol.HttpProtobuf"/> and <see cref="OtlpProtocol.Grpc"/>, OTLP/JSON (<c>OtlpJsonTraceWriter</c>)
/// for <see cref="OtlpProtocol.HttpJson"/>. One instance keeps one connection pool; reuse it for every batch.
/// Server and network failures come back as a failed <see cref="OtlpSendResult"/> with a one-line message;
/// only cancellation throws. Header values never appear in messages. <see cref="PostJsonAsync"/> sends other JSON
/// documents of the same destination (Langfuse scores), and <see cref="GetAsync"/> its checks, through the same client, so they share its TLS trust,
/// timeouts, retry policy, response caps and scrubbing.
/// </remarks>
public sealed partial class OtlpTransport : IDisposable
{
    /// <summary>The OTLP exporter spec's maximum request size (before compression).</summary>
    public const int MaxRequestBytes = 64 * 1024 * 1024;
    /// <summary>The OTLP exporter spec's maximum response size.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    private readonly HttpClient _client;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly SecretScrubber _scrubber;
    private readonly string _userAgent;

    public OtlpTransport(OtlpSettings settings, TimeProvider? timeProvider = null, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared.NextDouble;
        OtlpHeaderParser.RequireSafeValues(settings.Headers);
        _scrubber = new SecretScrubber(settings.Headers);
        _userAgent = UserAgent;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = settings.Timeout is { } t && t < TimeSpan.FromSeconds(30) ? t : TimeSpan.FromSeconds(30),
            EnableMultipleHttp2Connections = true,
        };
        if (settings.CertificatePath is { } pem) handler.SslOptions.RemoteCertificateValidationCallback = TrustPem(pem);
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary><c>agent-strace/&lt;version&gt;</c>.</summary>
    public static string UserAgent => OtlpIdentity.UserAgent;

    public OtlpSettings Settings { get; }

    /// <summary>
    /// Sends one request body (see the class remarks for the encoding), retrying transient failures.
    /// </summary>
    /// <param name="body">The encoded request; not kept after the call returns.</param>
    /// <param name="itemCount">Spans or data points in the body, for messages.</param>
    /// <param name="cancellationToken">Cancels the send (throws <see cref="OperationCanceledException"/>).</param>
    public Task<OtlpSendResult> SendAsync(ReadOnlyMemory<byte> body, int itemCount, CancellationToken cancellationToken) =>
        DeliverAsync(new Target(Settings.Url, Settings.Protocol, Settings.Gzip, "OTLP export"), body, itemCount, cancellationToken);

    /// <summary>
    /// POSTs one JSON document (not OTLP, never compressed) to <paramref name="url"/> with this destination's headers,
    /// TLS trust, timeout, retry policy and scrubbing.
    /// </summary>
    /// <param name="what">Names the request in failure messages, e.g. <c>Langfuse score upload</c>.</param>
    /// <param name="items">What the document carries (<paramref name="itemCount"/> of them), e.g. <c>scores</c>.</param>
    /// <param name="readItems">Reads per-item rejections from a 2xx answer (a batch API's multi-status body); null: none.</param>
    public Task<OtlpSendResult> PostJsonAsync(Uri url, ReadOnlyMemory<byte> body, string what, string items, int itemCount,
        JsonItemsReader? readItems, CancellationToken cancellationToken) =>
        DeliverAsync(new Target(url, OtlpProtocol.HttpJson, Gzip: false, what, Otlp: false, items, readItems), body, itemCount, cancellationToken);

    /// <summary>
    /// GETs <paramref name="url"/> with this destination's headers, TLS trust, timeout, retry policy and scrubbing (e.g.
    /// <c>doctor</c> asking Langfuse whether it accepts the keys). Delivered means a 2xx answer; the body is not read.
    /// </summary>
    public Task<OtlpSendResult> GetAsync(Uri url, string what, CancellationToken cancellationToken) =>
        DeliverAsync(new Target(url, OtlpProtocol.HttpJson, Gzip: false, what, Otlp: false, Get: true), ReadOnlyMemory<byte>.Empty, 0, cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>Where a request goes and how it is framed; <paramref name="Otlp"/> = an OTLP export request.</summary>
    private readonly record struct Target(Uri Url, OtlpProtocol Protocol, bool Gzip, string What, bool Otlp = true,
        string Items = "request", JsonItemsReader? ReadItems = null, bool Get = false)
    {
        public bool Grpc => Protocol == OtlpProtocol.Grpc;
        public string HostPort => $"{Url.Host}:{Url.Port}";
    }

    private async Task<OtlpSendResult> DeliverAsync(Target target, ReadOnlyMemory<byte> body, int itemCount, CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        DateTimeOffset? deadline = Settings.Timeout is { } timeout ? _time.GetUtcNow() + timeout : null;
        if (body.Length > MaxRequestBytes)
        {
            return Failure(target, new AttemptOutcome { Detail = $"the request is {body.Length / (1024 * 1024)} MiB, over the OTLP limit of 64 MiB", Hint = "export smaller batches (--batch-spans)" },
                RetryStopReason.NotRetryable, 0, start, itemCount);
        }

        using PooledBufferStream? gzipped = target.Gzip ? Compress(body) : null;
        ReadOnlyMemory<byte> payload = gzipped?.WrittenMemory ?? body;
        TimeSpan backoff = OtlpRetry.InitialBackoff;
        AttemptOutcome? answer = null;
        for (int attempt = 1; ; attempt++)
        {
            AttemptOutcome outcome = await AttemptWithTimeoutAsync(target, payload, deadline, cancellationToken).ConfigureAwait(false);
            if (outcome.Delivered) return Delivered(target, outcome, attempt, start, itemCount);
            // When the overall timeout cuts a retry short, what the server or network said before is the useful message.
            if (outcome.Deadline && answer is { } earlier) outcome = earlier;
            else answer = outcome;

            RetryDecision decision = OtlpRetry.Decide(outcome.Retryable, outcome.Throttle, backoff, _random(), _time.GetUtcNow(), deadline, attempt);
            if (!decision.Retry) return Failure(target, outcome, decision.Reason, attempt, start, itemCount);
            await Task.Delay(decision.Delay, _time, cancellationToken).ConfigureAwait(false);
            backoff = decision.NextBackoff;
        }
    }

    private async Task<AttemptOutcome> AttemptWithTimeoutAsync(Target target, ReadOnlyMemory<byte> payload, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        TimeSpan? remaining = deadline is { } end ? end - _time.GetUtcNow() : null;
        if (remaining is { } r && r <= TimeSpan.Zero) return TimedOut(target);
        using var timeoutCts = remaining is { } left ? new CancellationTokenSource(left, _time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        try
        {
            return await AttemptAsync(target, payload, remaining, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(target);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return NetworkFailure(target, ex);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // The connection closed in the middle of the response (HttpIOException): the request may not have been
            // processed, so it is retried like any network failure.
            return new AttemptOutcome { Retryable = true, Detail = "the connection closed before the response was complete", Hint = $"is {target.HostPort} up and reachable?" };
        }
    }

    private static PooledBufferStream Compress(ReadOnlyMemory<byte> body)
    {
        var output = new PooledBufferStream(Math.Max(1024, body.Length / 4));
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body.Span);
        return output;
    }

    private static RemoteCertificateValidationCallback TrustPem(string pemPath)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemPath);
        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }
}
