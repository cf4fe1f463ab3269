using System.Text;

namespace AgentStrace.Spans;

/// <summary>
/// Deterministic ids (spec §3.2), so a re-export updates the same trace instead of duplicating it:
/// trace id = SHA-256(session_id)[:16 bytes], span id = SHA-256(event_id)[:8], root span id = SHA-256("root-" + session_id)[:8].
/// </summary>
public static class TraceIds
{
    public static byte[] TraceId(string sessionId) => Prefix(sessionId, null, 16);

    public static byte[] SpanId(string eventId) => Prefix(eventId, null, 8);

    public static byte[] RootSpanId(string sessionId) => Prefix(sessionId, "root-", 8);

    private static byte[] Prefix(string text, string? prefix, int length)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length + (prefix?.Length ?? 0));
        Span<byte> utf8 = max <= 512 ? stackalloc byte[max] : new byte[max];
        int n = 0;
        if (prefix is not null) n += Encoding.UTF8.GetBytes(prefix, utf8);
        n += Encoding.UTF8.GetBytes(text, utf8[n..]);
        Span<byte> hash = stackalloc byte[32];
        // Ids hash a few bytes each, once per span: the managed SHA-256 is ~3x faster than a call into OpenSSL here.
        Model.Sha256.Hash(utf8[..n], hash);
        return hash[..length].ToArray();
    }

    public static string Hex(byte[] id) => Convert.ToHexStringLower(id);
}
