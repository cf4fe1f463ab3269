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
    public static string Of(RawJsonObject data, int limit = 240)
    {
        // Only the first limit + 1 bytes of the dump decide the summary, so the dump stops there and long strings are
        // cut before they are escaped (each char escapes to at least one byte): a summary costs the same for a
        // 200 MB payload as for a small one, in a buffer reused per thread.
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Write(new RawJsonValue(System.Text.Json.JsonTokenType.StartObject, data.Raw, false), new PyJsonWriter(buffer, PyJsonStyle.Default), buffer, limit + 1);
        ReadOnlySpan<byte> text = buffer.WrittenSpan;
        string summary = text.Length > limit ? string.Concat(Encoding.ASCII.GetString(text[..limit]), "...") : Encoding.ASCII.GetString(text);
        if (buffer.Capacity > 1 << 16) t_buffer = null; // do not keep a large buffer for the thread's next event
        return summary;
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    public static string SortedDumps(ReadOnlyMemory<byte> json)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Default);
        // Event data is always stored as an object (EventLine keeps the raw '{...}' bytes).
        Write(new RawJsonValue(System.Text.Json.JsonTokenType.StartObject, json, false), w, buffer, int.MaxValue);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    // Works on slices of the stored bytes: nothing is copied except the keys being sorted. True once the output holds
    // more than `enough` bytes (the caller needs no more).
    private static bool Write(RawJsonValue v, PyJsonWriter w, ArrayBufferWriter<byte> output, int enough)
    {
        switch (v.Kind)
        {
            case System.Text.Json.JsonTokenType.StartObject when SortedAsciiKeys(v.Raw) is { } sorted:
                w.WriteStartObject();
                foreach (RawJsonObject.RawMember m in sorted)
                {
                    w.WritePropertyName(m.Name(v.Raw.Span));
                    if (Write(m.Value, w, output, enough) || output.WrittenCount >= enough) return true;
                }
                w.WriteEndObject();
                break;
            case System.Text.Json.JsonTokenType.StartObject:
                // json.loads keeps the last value of a duplicate key.
                var props = new Dictionary<string, RawJsonValue>(StringComparer.Ordinal);
                foreach (var (k, value) in new RawJsonObject(v.Raw).Properties()) props[k] = value;
                string[] keys = [.. props.Keys];
                Array.Sort(keys, CodePointCompare);
                w.WriteStartObject();
                foreach (string k in keys)
                {
                    w.WritePropertyName(k);
                    if (Write(props[k], w, output, enough) || output.WrittenCount >= enough) return true;
                }
                w.WriteEndObject();
                break;
            case System.Text.Json.JsonTokenType.StartArray:
                w.WriteStartArray();
                foreach (RawJsonValue item in RawJsonObject.Elements(v))
                {
                    if (Write(item, w, output, enough) || output.WrittenCount >= enough) return true;
                }
                w.WriteEndArray();
                break;
            // Only the first `enough` chars can reach the summary, and a char is at most 6 bytes of the token (\uXXXX):
            // the token is cut there (never inside an escape or a UTF-8 sequence) and written from its bytes.
            case System.Text.Json.JsonTokenType.String:
                ReadOnlySpan<byte> raw = v.Raw.Span;
                if (enough != int.MaxValue && raw.Length > 6L * enough + 6) raw = raw[..JsonText.ChunkBoundary(raw, 6 * enough + 6, v.Escaped)];
                w.WriteJsonStringValue(raw, v.Escaped);
                break;
            case System.Text.Json.JsonTokenType.Number: PyJsonTranscoder.WriteNumber(v.Raw.Span, w); break;
            case System.Text.Json.JsonTokenType.True: w.WriteBoolValue(true); break;
            case System.Text.Json.JsonTokenType.False: w.WriteBoolValue(false); break;
            default: w.WriteNullValue(); break;
        }
        return false;
    }

    /// <summary>
    /// An object's members sorted by name as Python sorts them, the last of a repeated name kept, when every name is
    /// printable ASCII without escapes or quotes (byte order is then code point order and a name is written as it
    /// is): no string per name. Null otherwise.
    /// </summary>
    private static List<RawJsonObject.RawMember>? SortedAsciiKeys(ReadOnlyMemory<byte> json)
    {
        var members = new List<RawJsonObject.RawMember>();
        foreach (RawJsonObject.RawProperty p in new RawJsonObject(json).EnumerateProperties())
        {
            if (p.NameEscaped || p.Name.IndexOfAnyExcept(s_plainName) >= 0 || !json.Span.Overlaps(p.Name, out int start)) return null;
            members.Add(new RawJsonObject.RawMember(start, p.Name.Length, p.Value));
        }
        if (members.Count < 2) return members;
        // Stable by position, so of equal names the last comes last and wins below.
        int[] order = new int[members.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            int c = members[a].Name(json.Span).SequenceCompareTo(members[b].Name(json.Span));
            return c != 0 ? c : a.CompareTo(b);
        });
        var sorted = new List<RawJsonObject.RawMember>(members.Count);
        for (int k = 0; k < order.Length; k++)
        {
            RawJsonObject.RawMember m = members[order[k]];
            if (k + 1 < order.Length && members[order[k + 1]].Name(json.Span).SequenceEqual(m.Name(json.Span))) continue;
            sorted.Add(m);
        }
        return sorted;
    }

    private static readonly SearchValues<byte> s_plainName = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

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
