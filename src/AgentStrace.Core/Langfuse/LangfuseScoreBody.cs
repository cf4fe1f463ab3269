using System.Buffers;
using System.Text.Json;

namespace AgentStrace.Langfuse;

/// <summary>
/// The JSON body of one score as Langfuse's public API validates it (<c>PostScoresBody</c>): a non-empty name, a trace
/// id (with an observation id for a sub-agent), a value whose type matches <c>dataType</c> (BOOLEAN is 0 or 1), and the
/// environment of the trace it scores (Langfuse's default when empty).
/// </summary>
public static class LangfuseScoreBody
{
    public static byte[] Serialize(LangfuseScore score)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", score.Id);
            w.WriteString("traceId", score.TraceId);
            if (score.ObservationId is { } observation) w.WriteString("observationId", observation);
            w.WriteString("name", score.Name);
            // A non-finite value cannot be sent (JSON has no NaN); such scores are dropped by the reader.
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
        return buffer.WrittenSpan.ToArray();
    }
}
