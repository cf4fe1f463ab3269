using System.Buffers;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>Builds a new event's <c>data</c> object in the Python compact layout.</summary>
public sealed class EventBuilder
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public EventBuilder()
    {
        Data = new PyJsonWriter(_buffer, PyJsonStyle.Compact);
        Data.WriteStartObject();
    }

    /// <summary>The writer positioned inside the data object; add properties with it.</summary>
    public PyJsonWriter Data { get; }

    public TraceEvent Build(EventType type, string sessionId, double? timestamp = null, string parentId = "",
        double? durationMs = null, string? eventId = null, bool redacted = false)
    {
        Data.WriteEndObject();
        return new TraceEvent
        {
            Type = type,
            Timestamp = timestamp ?? Clock.Now(),
            EventId = eventId ?? Ids.NewEventId(),
            SessionId = sessionId,
            ParentId = parentId,
            DurationMs = durationMs,
            Data = new RawJsonObject(_buffer.WrittenSpan.ToArray()),
            Redacted = redacted,
        };
    }
}
