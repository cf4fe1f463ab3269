using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace AgentStrace.Json.Documents;

/// <summary>Reads one value of a list or map (generated code passes the document's constructor).</summary>
internal delegate T ReadItem<T>(ref Utf8JsonReader r);

/// <summary>
/// What the generated document readers call: each helper reads the value under the reader or throws a
/// <see cref="JsonException"/> worded like System.Text.Json's ("The JSON value could not be converted to System.Int64"),
/// and the path to it (<c>$.sessions.s1.offset</c>) is added as the error unwinds through each object, map and list.
/// The reader keeps its defaults: no comments, no trailing commas, depth 64, one value per document.
/// </summary>
internal static class DocumentReader
{
    public static Utf8JsonReader Open(ReadOnlySpan<byte> utf8, bool comments = false)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..]; // a byte order mark some editors write
        var r = new Utf8JsonReader(utf8, comments ? new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true } : default);
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) throw new JsonException("the document is null");
        return r;
    }

    /// <summary>After the document: only whitespace may follow (the reader throws on anything else).</summary>
    public static void Close(ref Utf8JsonReader r)
    {
        if (r.Read()) throw new JsonException($"'{r.TokenType}' is invalid after a single JSON value.");
    }

    public static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new JsonException("The JSON document ends before its value is complete.");
    }

    public static void StartObject(ref Utf8JsonReader r, string typeName)
    {
        if (r.TokenType != JsonTokenType.StartObject) throw Mismatch(typeName);
    }

    /// <summary>Moves to the next property's value and names it; false at the end of the object.</summary>
    public static bool NextProperty(ref Utf8JsonReader r, [NotNullWhen(true)] out string? name)
    {
        name = null;
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndObject) return false;
        name = Text(ref r);
        Next(ref r);
        return true;
    }

    /// <summary>A strict document's bit for a name once more: a name given twice is an error (which value wins differs between readers).</summary>
    public static ulong Once(ulong given, ulong bit, string name) =>
        (given & bit) == 0 ? given | bit : throw Twice(name);

    public static JsonException Twice(string name) => new KeyException($"has the key \"{OneLine(name)}\" twice in one object");

    /// <summary>A strict document met a name it does not declare (a typo, or a setting of a newer version).</summary>
    public static JsonException Unknown(string name, string known) =>
        new KeyException($"has an unknown key \"{OneLine(name)}\" (known: {known})");

    /// <summary>A problem with a key itself: its path is the object holding it, so the key's own name is not added (<see cref="At"/>).</summary>
    public sealed class KeyException(string message) : JsonException(message);

    public static JsonException Missing(string typeName, string names) =>
        new($"JSON deserialization for type '{typeName}' was missing required properties including: {names}.");

    /// <summary>The names whose bit is clear in <paramref name="seen"/>, quoted: <c>'a', 'b'</c>.</summary>
    public static string Unseen(ulong seen, string[] names)
    {
        var list = new List<string>();
        for (int i = 0; i < names.Length; i++) if ((seen & (1UL << i)) == 0) list.Add("'" + names[i] + "'");
        return string.Join(", ", list);
    }

    public static JsonException Mismatch(string typeName) => new($"The JSON value could not be converted to {typeName}.");

    public static int Int32(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt32(out int v) ? v : throw Mismatch("System.Int32");

    public static long Int64(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt64(out long v) ? v : throw Mismatch("System.Int64");

    public static double Double(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetDouble(out double v) ? v : throw Mismatch("System.Double");

    public static bool Boolean(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Mismatch("System.Boolean"),
    };

    public static string String(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String ? Text(ref r) : throw Mismatch("System.String");

    public static string? NullableString(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : String(ref r);

    public static List<T> List<T>(ref Utf8JsonReader r, ReadItem<T> item, string typeName)
    {
        if (r.TokenType != JsonTokenType.StartArray) throw Mismatch(typeName);
        var list = new List<T>();
        int index = -1;
        try
        {
            while (true)
            {
                Next(ref r);
                if (r.TokenType == JsonTokenType.EndArray) return list;
                index = list.Count;
                list.Add(item(ref r));
            }
        }
        catch (JsonException ex) when (index >= 0)
        {
            throw At(ex, "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", segment: true);
        }
    }

    public static Dictionary<string, T> Map<T>(ref Utf8JsonReader r, ReadItem<T> item, string typeName, bool strict = false)
    {
        if (r.TokenType != JsonTokenType.StartObject) throw Mismatch(typeName);
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        string? key = null;
        while (NextProperty(ref r, out key))
        {
            T value;
            try
            {
                value = item(ref r);
            }
            catch (JsonException ex)
            {
                throw At(ex, key);
            }
            if (!map.TryAdd(key, value))
            {
                if (strict) throw new JsonException(Twice(key).Message); // the map's path is added by the document holding it
                map[key] = value;
            }
        }
        return map;
    }

    /// <summary>The same error, its path now starting at <paramref name="name"/> (a property or key, or an index segment).</summary>
    public static JsonException At(JsonException ex, string name, bool segment = false)
    {
        if (ex is KeyException) return new JsonException(ex.Message); // its path is the object holding the key: the callers' names
        string rest = ex.Path is { Length: > 1 } path ? path[1..] : "";
        return new JsonException(ex.Message, "$" + (segment ? name : Segment(name)) + rest, ex.LineNumber, ex.BytePositionInLine, ex.InnerException);
    }

    // ".name" for a plain name, "['a.b']" otherwise; control characters escaped so the message stays one line.
    private static string Segment(string name)
    {
        bool plain = name.Length > 0;
        foreach (char c in name) plain &= char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
        if (plain) return "." + name;
        var s = new StringBuilder("['");
        foreach (char c in name)
        {
            if (char.IsControl(c) || c is '\'' or '\\' || char.IsSurrogate(c)) s.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else s.Append(c);
        }
        return s.Append("']").ToString();
    }

    // A string or property name; invalid UTF-8 or a lone surrogate escape is a JsonException like any other damage.
    private static string Text(ref Utf8JsonReader r)
    {
        try { return r.GetString()!; }
        catch (InvalidOperationException) { throw new JsonException("holds a string that is not valid Unicode (a lone surrogate such as \\ud800, or bytes that are not UTF-8)"); }
    }

    // A name as it may appear in a one-line message: control characters and quotes escaped.
    private static string OneLine(string name)
    {
        var s = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (char.IsControl(c) || c is '"' or '\\') s.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else s.Append(c);
        }
        return s.ToString();
    }
}
