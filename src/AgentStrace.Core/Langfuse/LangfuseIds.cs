using System.Security.Cryptography;
using System.Text;
using AgentStrace.Spans;

namespace AgentStrace.Langfuse;

/// <summary>
/// Ids Langfuse sees. Its OTLP ingestion takes the hex of the OTLP trace and span ids as trace and observation ids
/// (<c>OtelIngestionProcessor.parseId</c>), so scores attach to <see cref="TraceIds"/>' ids. Score ids are derived
/// from the session and score name, so a re-export updates the same scores (Langfuse upserts by id).
/// </summary>
public static class LangfuseIds
{
    public static string TraceId(byte[] otlpTraceId) => Convert.ToHexStringLower(otlpTraceId);

    public static string ObservationId(byte[] otlpSpanId) => Convert.ToHexStringLower(otlpSpanId);

    /// <summary>A UUID-shaped (version 8, RFC 9562) SHA-256 of session id, score name and occurrence (for repeated names).</summary>
    public static string ScoreId(string sessionId, string scoreName, int occurrence = 0)
    {
        string source = $"agent-strace/score/{sessionId}/{scoreName}" + (occurrence > 0 ? "#" + occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(source), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        string hex = Convert.ToHexStringLower(hash[..16]);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}
