using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentStrace.Otlp.Export;
using AgentStrace.Otlp.Internal;

namespace AgentStrace.Langfuse;

/// <summary>
/// Posts scores to Langfuse's public API (<c>POST &lt;host&gt;/api/public/scores</c>, Basic auth). Throttling, 5xx
/// gateways and network errors are retried a few times within the timeout; the outcome is a status and a scrubbed
/// one-line server message, never a header value.
/// </summary>
public sealed partial class LangfuseScoreClient : IDisposable
{
    private const int MaxAttempts = 3;
    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private readonly SecretScrubber _scrubber;
    private readonly TimeSpan? _timeout;

    /// <param name="headers">Authorization and any user headers (the same set the OTLP requests carry).</param>
    public LangfuseScoreClient(Uri scoresUrl, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan? timeout)
    {
        _url = scoresUrl;
        _headers = headers;
        _timeout = timeout;
        _scrubber = new SecretScrubber(headers);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = timeout is { } t && t < TimeSpan.FromSeconds(30) ? t : TimeSpan.FromSeconds(30),
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string DisplayUrl => OtlpUrls.Display(_url);

    public async Task<LangfuseApiResult> SendAsync(LangfuseScore score, CancellationToken cancellationToken)
    {
        byte[] body = LangfuseScoreBody.Serialize(score);
        DateTimeOffset? deadline = _timeout is { } t ? DateTimeOffset.UtcNow + t : null;
        LangfuseApiResult result = default;
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            TimeSpan? left = deadline is { } d ? d - DateTimeOffset.UtcNow : null;
            if (left is { } l && l <= TimeSpan.Zero) break;
            (result, TimeSpan? retryAfter) = await AttemptAsync(body, left, cancellationToken).ConfigureAwait(false);
            if (result.Ok || !result.Retryable || attempt == MaxAttempts) return result;
            TimeSpan delay = retryAfter ?? TimeSpan.FromSeconds(attempt);
            if (deadline is { } end && DateTimeOffset.UtcNow + delay >= end) return result;
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        return result.Message.Length > 0 ? result : Failure(0, $"no response within the {_timeout?.TotalSeconds:0.#} s timeout (--timeout)", false);
    }

    public void Dispose() => _client.Dispose();

    private async Task<(LangfuseApiResult, TimeSpan?)> AttemptAsync(byte[] body, TimeSpan? left, CancellationToken cancellationToken)
    {
        using var timeoutCts = left is { } l ? new CancellationTokenSource(l) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", OtlpTransport.UserAgent);
        foreach (KeyValuePair<string, string> h in _headers)
        {
            request.Headers.Remove(h.Key);
            if (!request.Headers.TryAddWithoutValidation(h.Key, h.Value)) request.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }
        try
        {
            using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is >= 200 and < 300) return (new LangfuseApiResult { Ok = true, Status = status }, null);
            string text = ServerMessage(await ReadAsync(response, linked.Token).ConfigureAwait(false));
            bool retry = status is 429 or 502 or 503 or 504;
            TimeSpan? after = response.Headers.RetryAfter?.Delta is { } delta && delta <= TimeSpan.FromSeconds(30) ? delta : null;
            return (Failure(status, text.Length > 0 ? text : response.ReasonPhrase ?? "", retry), after);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (Failure(0, $"no response within the {_timeout?.TotalSeconds:0.#} s timeout (--timeout)", retryable: false), null);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (Failure(0, NetworkReason(ex), retryable: true), null);
        }
    }

    private LangfuseApiResult Failure(int status, string message, bool retryable) =>
        new() { Status = status, Message = _scrubber.Scrub(message), Retryable = retryable };

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[16 * 1024];
        int n = 0, read;
        while (n < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(n), cancellationToken).ConfigureAwait(false)) > 0) n += read;
        return buffer[..n];
    }
}
