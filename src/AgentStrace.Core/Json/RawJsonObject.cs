using System.Text.Json;

namespace AgentStrace.Json;

/// <summary>Read-only access to the top-level properties of a raw JSON object, without building a DOM.</summary>
public readonly struct RawJsonObject
{
    public static readonly RawJsonObject Empty = new("{}"u8.ToArray());

    public RawJsonObject(ReadOnlyMemory<byte> raw) => Raw = raw;

    public ReadOnlyMemory<byte> Raw { get; }

    // Optional index of the top-level properties (RawJsonObject.Slots.cs).
    private readonly JsonPropertySlot[]? _slots;

    public bool TryGet(ReadOnlySpan<byte> name, out RawJsonValue value)
    {
        if (_slots is not null) return TryGetSlot(_slots, name, out value);
        var reader = new Utf8JsonReader(Raw.Span, PyJsonTranscoder.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            value = default;
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                value = Capture(ref reader);
                return true;
            }
            reader.Skip();
        }
        value = default;
        return false;
    }

    /// <summary>
    /// Finds several top-level properties in one pass (hot paths read 3–4 keys of every event); a missing key leaves
    /// its slot default. <paramref name="values"/> must be as long as <paramref name="names"/>.
    /// </summary>
    public void GetMany(byte[][] names, Span<RawJsonValue> values)
    {
        if (_slots is not null)
        {
            for (int i = 0; i < names.Length; i++) TryGetSlot(_slots, names[i], out values[i]);
            return;
        }
        var reader = new Utf8JsonReader(Raw.Span, PyJsonTranscoder.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
        int found = 0;
        while (found < names.Length && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index = -1;
            for (int i = 0; i < names.Length; i++)
            {
                if (values[i].Kind == JsonTokenType.None && reader.ValueTextEquals(names[i])) { index = i; break; }
            }
            reader.Read();
            if (index < 0) { reader.Skip(); continue; }
            values[index] = Capture(ref reader);
            found++;
        }
    }

    public RawJsonValue Get(ReadOnlySpan<byte> name) => TryGet(name, out RawJsonValue v) ? v : default;

    /// <summary>The string value, or "" when absent or not a string.</summary>
    public string GetString(ReadOnlySpan<byte> name) => TryGet(name, out RawJsonValue v) && v.IsString ? v.GetString() : "";

    public long? GetInt64(ReadOnlySpan<byte> name) => TryGet(name, out RawJsonValue v) && v.TryGetInt64(out long l) ? l : null;

    public double? GetDouble(ReadOnlySpan<byte> name) => TryGet(name, out RawJsonValue v) && v.TryGetDouble(out double d) ? d : null;

    public bool IsTruthy(ReadOnlySpan<byte> name) => TryGet(name, out RawJsonValue v) && v.IsTruthy;

    public RawJsonObject GetObject(ReadOnlySpan<byte> name)
    {
        if (_slots is not null) return FindSlot(_slots, name) is int i and >= 0 ? SlotObject(_slots[i]) : Empty;
        return TryGet(name, out RawJsonValue v) ? v.AsObject() : Empty;
    }

    /// <summary>All top-level properties in document order.</summary>
    public List<KeyValuePair<string, RawJsonValue>> Properties()
    {
        var list = new List<KeyValuePair<string, RawJsonValue>>();
        var reader = new Utf8JsonReader(Raw.Span, PyJsonTranscoder.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return list;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = JsonText.Unescape(reader.ValueSpan, reader.ValueIsEscaped);
            reader.Read();
            list.Add(new(key, Capture(ref reader)));
        }
        return list;
    }

    /// <summary>All top-level properties in document order, without allocating (names stay raw bytes).</summary>
    public PropertyEnumerator EnumerateProperties() => new(this);

    /// <summary>A top-level property: its raw name token and its value.</summary>
    public readonly ref struct RawProperty(ReadOnlySpan<byte> name, bool nameEscaped, RawJsonValue value)
    {
        /// <summary>The name token's bytes (escaped when <see cref="NameEscaped"/>).</summary>
        public ReadOnlySpan<byte> Name { get; } = name;
        public bool NameEscaped { get; } = nameEscaped;
        public RawJsonValue Value { get; } = value;
        public string NameString() => JsonText.Unescape(Name, NameEscaped);
    }

    public ref struct PropertyEnumerator
    {
        private readonly RawJsonObject _owner;
        private Utf8JsonReader _reader;
        private bool _done;
        private int _slot;

        internal PropertyEnumerator(RawJsonObject owner)
        {
            _owner = owner;
            _reader = new Utf8JsonReader(owner.Raw.Span, PyJsonTranscoder.ReaderOptions);
            _done = !_reader.Read() || _reader.TokenType != JsonTokenType.StartObject;
        }

        public RawProperty Current { get; private set; }

        public readonly PropertyEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_owner._slots is { } slots)
            {
                if (_slot >= slots.Length) return false;
                JsonPropertySlot s = slots[_slot++];
                Current = new RawProperty(_owner.Raw.Span.Slice(s.NameStart, s.NameLength), false, _owner.SlotValue(s));
                return true;
            }
            if (_done || !_reader.Read() || _reader.TokenType != JsonTokenType.PropertyName)
            {
                _done = true;
                return false;
            }
            int nameStart = (int)_reader.TokenStartIndex + 1;
            int nameLength = _reader.ValueSpan.Length;
            bool escaped = _reader.ValueIsEscaped;
            _reader.Read();
            RawJsonValue value = _owner.Capture(ref _reader);
            Current = new RawProperty(_owner.Raw.Span.Slice(nameStart, nameLength), escaped, value);
            return true;
        }
    }

    /// <summary>Elements of an array value's raw text.</summary>
    public static List<RawJsonValue> Elements(RawJsonValue array)
    {
        var list = new List<RawJsonValue>();
        if (!array.IsArray) return list;
        var sub = new RawJsonObject(array.Raw);
        var reader = new Utf8JsonReader(sub.Raw.Span, PyJsonTranscoder.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(sub.Capture(ref reader));
        }
        return list;
    }

    /// <summary>Elements of an array value as objects, each indexed as it is read (<see cref="ReadSlots"/>), so
    /// looking up several of its properties does not rescan it; an element that is no object is <see cref="Empty"/>.</summary>
    public static List<RawJsonObject> ObjectElements(RawJsonValue array)
    {
        var list = new List<RawJsonObject>();
        if (!array.IsArray) return list;
        ReadOnlyMemory<byte> raw = array.Raw;
        var reader = new Utf8JsonReader(raw.Span, PyJsonTranscoder.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                list.Add(Empty);
                continue;
            }
            int begin = (int)reader.TokenStartIndex;
            JsonPropertySlot[]? slots = ReadSlots(ref reader);
            list.Add(new RawJsonObject(raw[begin..(int)reader.BytesConsumed], slots));
        }
        return list;
    }

    private RawJsonValue Capture(ref Utf8JsonReader reader)
    {
        JsonTokenType kind = reader.TokenType;
        if (kind == JsonTokenType.String)
        {
            // ValueSpan excludes the quotes; TokenStartIndex points at the opening quote.
            int start = (int)reader.TokenStartIndex + 1;
            return new RawJsonValue(kind, Raw.Slice(start, reader.ValueSpan.Length), reader.ValueIsEscaped);
        }
        int begin = (int)reader.TokenStartIndex;
        if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
            return new RawJsonValue(kind, Raw[begin..(int)reader.BytesConsumed], false);
        }
        return new RawJsonValue(kind, Raw.Slice(begin, reader.ValueSpan.Length), false);
    }

    private const int MaxSlots = 32;
    // One level of nested objects is indexed too (tool_call's "arguments"): one scratch array per level.
    private const int NestedLevels = 1;
    // The deepest nesting ReadSlots(reader, levels) indexes (a Codex token_count: line, payload, info, totals).
    private const int MaxNestedLevels = 3;
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
    public static JsonPropertySlot[]? ReadSlots(ref Utf8JsonReader reader) => ReadSlots(ref reader, 0, NestedLevels);

    /// <summary>As <see cref="ReadSlots(ref Utf8JsonReader)"/>, indexing object values down to <paramref name="nestedLevels"/>
    /// levels (at most 3), so a reader that looks deep into a line reads it once.</summary>
    public static JsonPropertySlot[]? ReadSlots(ref Utf8JsonReader reader, int nestedLevels) =>
        ReadSlots(ref reader, 0, Math.Clamp(nestedLevels, 0, MaxNestedLevels));

    private static JsonPropertySlot[]? ReadSlots(ref Utf8JsonReader reader, int level, int nestedLevels)
    {
        t_scratch ??= new JsonPropertySlot[MaxNestedLevels + 1][];
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
                if (kind == JsonTokenType.StartObject && level < nestedLevels) children = ReadSlots(ref reader, level + 1, nestedLevels);
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
