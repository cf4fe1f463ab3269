using System.Text;
using AgentStrace.Model;

namespace AgentStrace.Spans;

/// <summary>
/// Deterministic ids (upstream's OTLP encoding rules), so a re-export updates the same trace instead of duplicating it:
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

    /// <summary>
    /// Fills <see cref="TraceEvent.SpanIdHint"/> of the events that open spans (tool calls, model requests), hashing
    /// four ids per SIMD pass. Run by export readers on their worker threads.
    /// </summary>
    public static void PrecomputeSpanIds(List<TraceEvent> events)
    {
        Span<int> batch = stackalloc int[4];
        int n = 0;
        for (int i = 0; i < events.Count; i++)
        {
            TraceEvent e = events[i];
            if (e.Type is not (EventType.ToolCall or EventType.LlmRequest) || e.EventId.Length > Sha256x4.MaxMessage) continue;
            batch[n++] = i;
            if (n < 4) continue;
            HashFour(events, batch);
            n = 0;
        }
        for (int i = 0; i < n; i++) events[batch[i]].SpanIdHint = SpanId(events[batch[i]].EventId);
    }

    private static void HashFour(List<TraceEvent> events, ReadOnlySpan<int> batch)
    {
        const int Max = Sha256x4.MaxMessage;
        Span<byte> utf8 = stackalloc byte[4 * Max];
        Span<int> lengths = stackalloc int[4];
        for (int j = 0; j < 4; j++)
        {
            // An id longer than one block in UTF-8 takes the scalar path (lane hashed empty and ignored).
            if (!Encoding.UTF8.TryGetBytes(events[batch[j]].EventId, utf8.Slice(j * Max, Max), out lengths[j])) lengths[j] = -1;
        }
        Span<byte> prefixes = stackalloc byte[32];
        Sha256x4.HashPrefix8(Lane(utf8, lengths, 0), Lane(utf8, lengths, 1), Lane(utf8, lengths, 2), Lane(utf8, lengths, 3), prefixes);
        for (int j = 0; j < 4; j++)
        {
            TraceEvent e = events[batch[j]];
            e.SpanIdHint = lengths[j] >= 0 ? prefixes.Slice(j * 8, 8).ToArray() : SpanId(e.EventId);
        }
    }

    private static ReadOnlySpan<byte> Lane(ReadOnlySpan<byte> utf8, ReadOnlySpan<int> lengths, int j) =>
        utf8.Slice(j * Sha256x4.MaxMessage, Math.Max(lengths[j], 0));
}
