using AgentStrace.Otlp.Transport;

namespace AgentStrace.Langfuse;

/// <summary>
/// Sends scores to Langfuse's batch ingestion API (<c>POST &lt;host&gt;/api/public/ingestion</c>, <c>score-create</c>
/// events, as Langfuse's own SDKs do) through the same <see cref="OtlpTransport"/> as the traces: the same headers
/// (Basic auth), TLS trust (custom CA), timeout, retry policy, response caps and secret scrubbing. The API answers 207
/// with per-event errors; those count as rejected scores.
/// </summary>
public sealed class LangfuseScoreClient(OtlpTransport transport, Uri ingestionUrl)
{
    /// <summary>Events per request, as Langfuse's SDKs batch them.</summary>
    public const int MaxBatch = 100;

    public string DisplayUrl => OtlpUrls.Display(ingestionUrl);

    /// <summary>Sends the scores in batches of <see cref="MaxBatch"/>; stops at the first batch not wholly accepted.</summary>
    public async Task<OtlpSendResult> SendAsync(IReadOnlyList<LangfuseScore> scores, CancellationToken cancellationToken)
    {
        OtlpSendResult result = new() { Delivered = true };
        for (int i = 0; i < scores.Count; i += MaxBatch)
        {
            IReadOnlyList<LangfuseScore> batch = scores.Skip(i).Take(MaxBatch).ToList();
            result = await transport.PostJsonAsync(ingestionUrl, LangfuseScoreBatch.Serialize(batch), "Langfuse score upload", "scores",
                batch.Count, LangfuseScoreBatch.ReadErrors, cancellationToken).ConfigureAwait(false);
            if (!result.Success) return result;
        }
        return result;
    }
}
