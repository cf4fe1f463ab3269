using AgentStrace.Json;

namespace AgentStrace.Model;

/// <summary>
/// One line of <c>events.ndjson</c> (upstream's event line). <see cref="Data"/> holds the raw JSON object bytes exactly as
/// stored, so a read-then-write round trip is byte-identical and readers parse only the keys they need.
/// </summary>
public sealed class TraceEvent
{
    public required EventType Type { get; init; }
    public required double Timestamp { get; init; }
    public required string EventId { get; init; }
    public string SessionId { get; init; } = "";
    public string ParentId { get; init; } = "";
    public double? DurationMs { get; init; }
    public RawJsonObject Data { get; init; } = RawJsonObject.Empty;
    public string PrevHash { get; init; } = "";
    public bool Redacted { get; init; }
    public string TenantId { get; init; } = "";

    /// <summary>1-based line number in the file it was read from (0 when built in memory).</summary>
    public long Line { get; init; }

    /// <summary>
    /// SHA-256(event_id)[:8], the span id of the span this event opens (upstream's OTLP encoding rules), when an export computed it while
    /// reading (<c>TraceIds.PrecomputeSpanIds</c>, four at a time, off the span builder's thread).
    /// </summary>
    public byte[]? SpanIdHint { get; set; }

    /// <summary>
    /// This event, or a copy whose <see cref="Data"/> owns exactly its bytes when it is a slice of a larger read buffer
    /// (for events kept a long time, e.g. tool calls waiting for their result, so they do not pin the whole buffer).
    /// </summary>
    public TraceEvent WithOwnData()
    {
        if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray(Data.Raw, out ArraySegment<byte> s) || s.Count == s.Array!.Length) return this;
        return new TraceEvent
        {
            Type = Type, Timestamp = Timestamp, EventId = EventId, SessionId = SessionId, ParentId = ParentId,
            DurationMs = DurationMs, Data = new RawJsonObject(Data.Raw.ToArray()), PrevHash = PrevHash, Redacted = Redacted,
            TenantId = TenantId, Line = Line, SpanIdHint = SpanIdHint,
        };
    }
}
