using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgentStrace.Model;

namespace AgentStrace.Langfuse;

/// <summary>
/// Scores as one Langfuse ingestion batch: <c>{"batch":[{"id","timestamp","type":"score-create","body"}]}</c>. The body
/// is what Langfuse's score schema validates: a non-empty name, a trace id (with an observation id for a sub-agent), a
/// value whose type matches <c>dataType</c> (BOOLEAN is 0 or 1), and the environment of the trace it scores (Langfuse's
/// default when empty). The event's <c>timestamp</c> becomes the score's time, so it is the session's (stable), not
/// the run's; the event id is fresh per request, as in Langfuse's SDKs (the score id is what Langfuse upserts by).
/// </summary>
public static class LangfuseScoreBatch
{
    public static byte[] Serialize(IReadOnlyList<LangfuseScore> scores)
    {
        var buffer = new ArrayBufferWriter<byte>(512 * Math.Max(1, scores.Count));
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("batch");
            foreach (LangfuseScore score in scores)
            {
                w.WriteStartObject();
                w.WriteString("id", Guid.NewGuid().ToString("D"));
                w.WriteString("timestamp", Clock.ToUtc(score.Timestamp).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                w.WriteString("type", "score-create");
                w.WritePropertyName("body");
                WriteBody(w, score);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads the <c>errors</c> of an ingestion answer (<c>{"successes":[…],"errors":[{"id","status","message"}]}</c>):
    /// how many events failed, and the first one's status and message.
    /// </summary>
    public static bool ReadErrors(ReadOnlySpan<byte> body, out long rejected, out string message)
    {
        rejected = 0;
        message = "";
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("errors", out JsonElement errors) || errors.ValueKind != JsonValueKind.Array) return false;
            foreach (JsonElement error in errors.EnumerateArray())
            {
                if (rejected++ > 0) continue;
                string status = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("status", out JsonElement s) && s.ValueKind == JsonValueKind.Number
                    ? "status " + s.GetRawText() : "no status";
                string why = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String
                    ? m.GetString()! : "no message";
                message = $"{status}: {why}";
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteBody(Utf8JsonWriter w, LangfuseScore score)
    {
        w.WriteStartObject();
        w.WriteString("id", score.Id);
        w.WriteString("traceId", score.TraceId);
        if (score.ObservationId is { } observation) w.WriteString("observationId", observation);
        w.WriteString("name", score.Name);
        // A non-finite value cannot be sent (JSON has no NaN); such scores are dropped before this.
        w.WriteNumber("value", score.DataType == "BOOLEAN" ? (score.Value != 0 ? 1 : 0) : score.Value);
        w.WriteString("dataType", score.DataType);
        w.WriteString("comment", score.Comment);
        if (score.Environment.Length > 0) w.WriteString("environment", score.Environment);
        w.WriteStartObject("metadata");
        w.WriteString("source", score.Origin);
        w.WriteString("agent_strace_session_id", score.SessionId);
        w.WriteNumber("threshold", score.Source.Threshold);
        w.WriteBoolean("passed", score.Source.Passed);
        if (score.Source.Reason.Length > 0) w.WriteString("reason", score.Source.Reason);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
