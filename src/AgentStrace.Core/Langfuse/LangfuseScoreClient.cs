using AgentStrace.Otlp.Transport;

namespace AgentStrace.Langfuse;

/// <summary>
/// Posts scores to Langfuse's public API (<c>POST &lt;host&gt;/api/public/scores</c>) through the same
/// <see cref="OtlpTransport"/> as the traces: the same headers (Basic auth), TLS trust (custom CA), timeout, retry
/// policy, response caps and secret scrubbing.
/// </summary>
public sealed class LangfuseScoreClient(OtlpTransport transport, Uri scoresUrl)
{
    public string DisplayUrl => OtlpUrls.Display(scoresUrl);

    public Task<OtlpSendResult> SendAsync(LangfuseScore score, CancellationToken cancellationToken) =>
        transport.PostJsonAsync(scoresUrl, LangfuseScoreBody.Serialize(score), "Langfuse score upload", cancellationToken);
}
