using System.Globalization;
using System.Text.Json;
using AgentStrace.Json.Documents;
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
    public static byte[] Serialize(IReadOnlyList<LangfuseScore> scores) => DocumentJson.ToBytes(new ScoreBatchDocument
    {
        Batch = scores.Select(score => new ScoreEventDocument
        {
            Id = Guid.NewGuid().ToString("D"),
            Timestamp = Clock.ToUtc(score.Timestamp).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            Type = "score-create",
            Body = Body(score),
        }).ToList(),
    }.Write, indented: false);

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

    private static ScoreDocument Body(LangfuseScore score) => new()
    {
        Id = score.Id,
        TraceId = score.TraceId,
        ObservationId = score.ObservationId,
        Name = score.Name,
        // A non-finite value cannot be sent (JSON has no NaN); such scores are dropped before this.
        Value = score.DataType == "BOOLEAN" ? (score.Value != 0 ? 1 : 0) : score.Value,
        DataType = score.DataType,
        Comment = score.Comment,
        Environment = score.Environment.Length > 0 ? score.Environment : null,
        Metadata = new ScoreMetadataDocument
        {
            Source = score.Origin,
            AgentStraceSessionId = score.SessionId,
            Threshold = score.Source.Threshold,
            Passed = score.Source.Passed,
            Reason = score.Source.Reason.Length > 0 ? score.Source.Reason : null,
        },
    };
}
