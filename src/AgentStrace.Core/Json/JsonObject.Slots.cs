using System.Text.Json;

namespace AgentStrace.Json;

// A property index recorded while the object is first parsed, so later lookups need no second scan. The export path
// parses on worker threads and builds spans on one thread: the scans this saves are the span builder's.
public readonly partial struct JsonObject
{
    private const int MaxSlots = 32;
    [ThreadStatic] private static JsonPropertySlot[]? t_scratch;

    /// <summary>An object with the property index <see cref="ReadSlots"/> recorded (null: none).</summary>
    public JsonObject(ReadOnlyMemory<byte> raw, JsonPropertySlot[]? slots)
    {
        Raw = raw;
        _slots = slots;
    }

    /// <summary>
    /// Reads the object the reader is on (at its StartObject) to its EndObject, like <see cref="Utf8JsonReader.Skip"/>,
    /// and returns where each top-level property sits; null when there are too many or a name is escaped.
    /// </summary>
    public static JsonPropertySlot[]? ReadSlots(ref Utf8JsonReader reader)
    {
        JsonPropertySlot[] scratch = t_scratch ??= new JsonPropertySlot[MaxSlots];
        int objectStart = (int)reader.TokenStartIndex;
        int count = 0;
        bool indexable = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int nameStart = (int)reader.TokenStartIndex + 1 - objectStart;
            int nameLength = reader.ValueSpan.Length;
            indexable &= !reader.ValueIsEscaped && count < MaxSlots;
            reader.Read();
            JsonTokenType kind = reader.TokenType;
            int valueStart, valueLength;
            bool escaped = false;
            if (kind == JsonTokenType.String)
            {
                valueStart = (int)reader.TokenStartIndex + 1 - objectStart;
                valueLength = reader.ValueSpan.Length;
                escaped = reader.ValueIsEscaped;
            }
            else if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                valueStart = (int)reader.TokenStartIndex - objectStart;
                reader.Skip();
                valueLength = (int)reader.BytesConsumed - objectStart - valueStart;
            }
            else
            {
                valueStart = (int)reader.TokenStartIndex - objectStart;
                valueLength = reader.ValueSpan.Length;
            }
            if (indexable) scratch[count++] = new JsonPropertySlot(nameStart, nameLength, kind, valueStart, valueLength, escaped);
        }
        return indexable ? scratch.AsSpan(0, count).ToArray() : null;
    }

    private bool TryGetSlot(JsonPropertySlot[] slots, ReadOnlySpan<byte> name, out JsonValue value)
    {
        ReadOnlySpan<byte> raw = Raw.Span;
        foreach (JsonPropertySlot slot in slots)
        {
            if (raw.Slice(slot.NameStart, slot.NameLength).SequenceEqual(name))
            {
                value = SlotValue(slot);
                return true;
            }
        }
        value = default;
        return false;
    }

    private JsonValue SlotValue(in JsonPropertySlot slot) => new(slot.Kind, Raw.Slice(slot.ValueStart, slot.ValueLength), slot.ValueEscaped);
}
