using System.Text.Json;

namespace AgentStrace.Json;

// A property index recorded while the object is first parsed, so later lookups need no second scan. The export path
// parses on worker threads and builds spans on one thread: the scans this saves are the span builder's.
public readonly partial struct RawJsonObject
{
    private const int MaxSlots = 32;
    // One level of nested objects is indexed too (tool_call's "arguments"): one scratch array per level.
    private const int NestedLevels = 1;
    [ThreadStatic] private static JsonPropertySlot[][]? t_scratch;

    /// <summary>An object with the property index <see cref="ReadSlots"/> recorded (null: none).</summary>
    public RawJsonObject(ReadOnlyMemory<byte> raw, JsonPropertySlot[]? slots)
    {
        Raw = raw;
        _slots = slots;
    }

    /// <summary>
    /// Reads the object the reader is on (at its StartObject) to its EndObject, like <see cref="Utf8JsonReader.Skip"/>,
    /// and returns where each top-level property sits (and those of object values one level down); null when there
    /// are too many or a name is escaped.
    /// </summary>
    public static JsonPropertySlot[]? ReadSlots(ref Utf8JsonReader reader) => ReadSlots(ref reader, 0);

    private static JsonPropertySlot[]? ReadSlots(ref Utf8JsonReader reader, int level)
    {
        t_scratch ??= new JsonPropertySlot[NestedLevels + 1][];
        JsonPropertySlot[] scratch = t_scratch[level] ??= new JsonPropertySlot[MaxSlots];
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
            JsonPropertySlot[]? children = null;
            if (kind == JsonTokenType.String)
            {
                valueStart = (int)reader.TokenStartIndex + 1 - objectStart;
                valueLength = reader.ValueSpan.Length;
                escaped = reader.ValueIsEscaped;
            }
            else if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                valueStart = (int)reader.TokenStartIndex - objectStart;
                if (kind == JsonTokenType.StartObject && level < NestedLevels) children = ReadSlots(ref reader, level + 1);
                else reader.Skip();
                valueLength = (int)reader.BytesConsumed - objectStart - valueStart;
            }
            else
            {
                valueStart = (int)reader.TokenStartIndex - objectStart;
                valueLength = reader.ValueSpan.Length;
            }
            if (indexable) scratch[count++] = new JsonPropertySlot(nameStart, nameLength, kind, valueStart, valueLength, escaped, children);
        }
        return indexable ? scratch.AsSpan(0, count).ToArray() : null;
    }

    private bool TryGetSlot(JsonPropertySlot[] slots, ReadOnlySpan<byte> name, out RawJsonValue value)
    {
        int i = FindSlot(slots, name);
        value = i >= 0 ? SlotValue(slots[i]) : default;
        return i >= 0;
    }

    private int FindSlot(JsonPropertySlot[] slots, ReadOnlySpan<byte> name)
    {
        ReadOnlySpan<byte> raw = Raw.Span;
        for (int i = 0; i < slots.Length; i++)
        {
            if (raw.Slice(slots[i].NameStart, slots[i].NameLength).SequenceEqual(name)) return i;
        }
        return -1;
    }

    private RawJsonObject SlotObject(in JsonPropertySlot slot) =>
        slot.Kind == JsonTokenType.StartObject ? new RawJsonObject(Raw.Slice(slot.ValueStart, slot.ValueLength), slot.Children) : Empty;

    private RawJsonValue SlotValue(in JsonPropertySlot slot) => new(slot.Kind, Raw.Slice(slot.ValueStart, slot.ValueLength), slot.ValueEscaped);
}
