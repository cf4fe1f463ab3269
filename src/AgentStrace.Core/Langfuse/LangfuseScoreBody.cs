using AgentStrace.Json.Documents;

namespace AgentStrace.Langfuse;

/// <summary>
/// The JSON body of one score as Langfuse's public API validates it (<c>PostScoresBody</c>): a non-empty name, a trace
/// id (with an observation id for a sub-agent), a value whose type matches <c>dataType</c> (BOOLEAN is 0 or 1), and the
/// environment of the trace it scores (Langfuse's default when empty).
/// </summary>
public static class LangfuseScoreBody
{
    public static byte[] Serialize(LangfuseScore score) => DocumentJson.ToBytes(new ScoreDocument
    {
        Id = score.Id,
        TraceId = score.TraceId,
        ObservationId = score.ObservationId,
        Name = score.Name,
        // A non-finite value cannot be sent (JSON has no NaN); such scores are dropped by the reader.
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
    }, DocumentJson.Default.ScoreDocument, indented: false);
}
