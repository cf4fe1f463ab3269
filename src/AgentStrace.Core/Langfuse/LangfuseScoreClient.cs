using System.Buffers;
using System.Text.Json;
using AgentStrace.Otlp.Export;

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
        transport.PostJsonAsync(scoresUrl, Serialize(score), "Langfuse score upload", cancellationToken);

    private static byte[] Serialize(LangfuseScore score)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", score.Id);
            w.WriteString("traceId", score.TraceId);
            if (score.ObservationId is { } observation) w.WriteString("observationId", observation);
            w.WriteString("name", score.Name);
            w.WriteNumber("value", score.Value);
            w.WriteString("dataType", "NUMERIC");
            w.WriteString("comment", score.Comment);
            w.WriteStartObject("metadata");
            w.WriteString("source", "agent-strace eval.json");
            w.WriteString("agent_strace_session_id", score.SessionId);
            w.WriteNumber("threshold", score.Source.Threshold);
            w.WriteBoolean("passed", score.Source.Passed);
            if (score.Source.Reason.Length > 0) w.WriteString("reason", score.Source.Reason);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
