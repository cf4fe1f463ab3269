using System.Text.Json;

namespace AgentStrace.Json;

/// <summary>
/// Objects that repeat a key. Python's <c>json.loads</c> keeps one member per key: the last value, at the place of the
/// key's first occurrence (<c>{"a":1,"b":2,"a":3}</c> reads as <c>{"a": 3, "b": 2}</c>), so what the Python tool
/// stores, prints or counts never repeats a key. Finding none costs one read of the text; only a text that repeats a
/// key pays for a second read recording where each member of those objects lies.
/// </summary>
internal static class RepeatedKeys
{
    /// <summary>One member kept: its name as written, and its value's bytes.</summary>
    internal readonly record struct Member(int NameStart, int NameLength, bool NameEscaped, int ValueStart, int ValueEnd);

    /// <summary>
    /// The objects of <paramref name="json"/> that repeat a key, by the offset of their <c>{</c>, each with its members as
    /// Python keeps them; null when no object repeats a key.
    /// </summary>
    /// <remarks>
    /// Writing such an object re-reads it once per repeating object around it, and each one nests a call: past
    /// <see cref="MaxNesting"/> repeating objects inside one another, or when the re-reading would exceed
    /// <see cref="MaxRereads"/> times the text, the text is kept as written (null) rather than risk the stack or the
    /// time. No real payload comes near either.
    /// </remarks>
    public static Dictionary<int, List<Member>>? Find(ReadOnlySpan<byte> json)
    {
        HashSet<int>? repeating = FindObjects(json);
        if (repeating is null) return null;
        Dictionary<int, List<Member>> members = Members(json, repeating, out int nesting, out long reread);
        return nesting > MaxNesting || reread > MaxRereads * (long)json.Length ? null : members;
    }

    public const int MaxNesting = 64;
    public const int MaxRereads = 8;

    // First read: per open object, the hashes of its keys. A hash collision only sends the text to the exact second read.
    private static HashSet<int>? FindObjects(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, PyJsonTranscoder.ReaderOptions);
        var keys = new List<List<ulong>>();
        var starts = new List<int>();
        HashSet<int>? found = null;
        while (reader.Read())
        {
            int depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    while (keys.Count <= depth) { keys.Add([]); starts.Add(0); }
                    keys[depth].Clear();
                    starts[depth] = (int)reader.TokenStartIndex;
                    break;
                case JsonTokenType.PropertyName:
                    List<ulong> seen = keys[depth - 1];
                    ulong hash = Hash(reader.ValueSpan, reader.ValueIsEscaped);
                    if (seen.Count > 0 && seen.Contains(hash)) (found ??= []).Add(starts[depth - 1]);
                    else seen.Add(hash);
                    break;
            }
        }
        return found;
    }

    // Second read: the members of the repeating objects, exactly (names compared unescaped), last value at the first place.
    private static Dictionary<int, List<Member>> Members(ReadOnlySpan<byte> json, HashSet<int> repeating, out int nesting, out long reread)
    {
        var result = new Dictionary<int, List<Member>>(repeating.Count);
        var open = new List<Frame?>();
        int inside = 0;
        nesting = 0;
        reread = 0;
        var reader = new Utf8JsonReader(json, PyJsonTranscoder.ReaderOptions);
        while (reader.Read())
        {
            int depth = reader.CurrentDepth;
            Frame? owner = depth > 0 && depth - 1 < open.Count ? open[depth - 1] : null;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    owner?.ValueStarts((int)reader.TokenStartIndex);
                    while (open.Count <= depth) open.Add(null);
                    open[depth] = reader.TokenType == JsonTokenType.StartObject && repeating.Contains((int)reader.TokenStartIndex) ? new Frame() : null;
                    if (open[depth] is { } frame)
                    {
                        frame.Start = (int)reader.TokenStartIndex;
                        result[frame.Start] = frame.Kept;
                        nesting = Math.Max(nesting, ++inside);
                    }
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (open[depth] is { } closed)
                    {
                        inside--;
                        reread += reader.BytesConsumed - closed.Start;
                    }
                    open[depth] = null;
                    owner?.ValueEnds((int)reader.BytesConsumed);
                    break;
                case JsonTokenType.PropertyName:
                    owner?.Name(reader.ValueSpan, (int)reader.TokenStartIndex + 1, reader.ValueIsEscaped);
                    break;
                default:
                    owner?.ValueStarts((int)reader.TokenStartIndex);
                    owner?.ValueEnds((int)reader.BytesConsumed);
                    break;
            }
        }
        return result;
    }

    private sealed class Frame
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private string _name = "";
        private int _nameStart, _nameLength, _valueStart;
        private bool _escaped;

        public List<Member> Kept { get; } = [];

        public int Start { get; set; }

        public void Name(ReadOnlySpan<byte> raw, int start, bool escaped)
        {
            _name = JsonText.Unescape(raw, escaped);
            (_nameStart, _nameLength, _escaped) = (start, raw.Length, escaped);
        }

        public void ValueStarts(int start) => _valueStart = start;

        public void ValueEnds(int end)
        {
            if (_index.TryGetValue(_name, out int at))
            {
                Kept[at] = Kept[at] with { ValueStart = _valueStart, ValueEnd = end }; // the first place, the last value
                return;
            }
            _index[_name] = Kept.Count;
            Kept.Add(new Member(_nameStart, _nameLength, _escaped, _valueStart, end));
        }
    }

    private static ulong Hash(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped) return Fnv(raw);
        // Hashed as the UTF-8 of the unescaped name, so that "a" and "\u0061" hash alike.
        Span<char> chars = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        int n = JsonText.UnescapeToChars(raw, chars);
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(chars[..n].ToArray());
        return Fnv(utf8);
    }

    // FNV-1a.
    private static ulong Fnv(ReadOnlySpan<byte> bytes)
    {
        ulong h = 14695981039346656037;
        foreach (byte b in bytes) h = (h ^ b) * 1099511628211;
        return h;
    }
}
