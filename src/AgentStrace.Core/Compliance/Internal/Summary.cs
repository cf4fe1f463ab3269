using System.Buffers;
using System.Text;
using AgentStrace.Json;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// Upstream's <c>_summarise</c>: <c>json.dumps(data, sort_keys=True, default=str)</c> (default separators,
/// ASCII-escaped, keys sorted at every level), cut to <c>limit</c> chars plus <c>...</c>.
/// </summary>
internal static class Summary
{
    public static string Of(JsonObject data, int limit = 240)
    {
        string text = SortedDumps(data.Raw.Span);
        return text.Length > limit ? string.Concat(text.AsSpan(0, limit), "...") : text;
    }

    public static string SortedDumps(ReadOnlySpan<byte> json)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        Write(json, new PyJsonWriter(buffer, PyJsonStyle.Default));
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    private static void Write(ReadOnlySpan<byte> json, PyJsonWriter w)
    {
        ReadOnlySpan<byte> t = json.TrimStart(" \t\r\n"u8);
        if (t.Length > 0 && t[0] == (byte)'{')
        {
            // json.loads keeps the last value of a duplicate key.
            var props = new Dictionary<string, JsonValue>(StringComparer.Ordinal);
            foreach (var (k, v) in new JsonObject(t.ToArray()).Properties()) props[k] = v;
            var keys = props.Keys.ToArray();
            Array.Sort(keys, CodePointCompare);
            w.WriteStartObject();
            foreach (string k in keys)
            {
                w.WritePropertyName(k);
                Write(props[k].ToJsonBytes(), w);
            }
            w.WriteEndObject();
        }
        else if (t.Length > 0 && t[0] == (byte)'[')
        {
            var array = new JsonValue(System.Text.Json.JsonTokenType.StartArray, t.ToArray(), false);
            w.WriteStartArray();
            foreach (JsonValue item in JsonObject.Elements(array)) Write(item.ToJsonBytes(), w);
            w.WriteEndArray();
        }
        else
        {
            w.WriteJsonValue(t);
        }
    }

    // Python sorts str by code point; UTF-16 ordinal order differs only for astral vs U+E000..U+FFFF.
    private static int CodePointCompare(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            int ca = NextCodePoint(a, ref i), cb = NextCodePoint(b, ref j);
            if (ca != cb) return ca.CompareTo(cb);
        }
        return (a.Length - i).CompareTo(b.Length - j);
    }

    private static int NextCodePoint(string s, ref int i)
    {
        char c = s[i++];
        if (char.IsHighSurrogate(c) && i < s.Length && char.IsLowSurrogate(s[i])) return char.ConvertToUtf32(c, s[i++]);
        return c;
    }
}
