using System.Text.Json;
using AgentStrace.Json;

namespace AgentStrace.Compliance.Internal;

/// <summary>The few top-level fields the chain needs from a raw line, read without building an event.</summary>
internal readonly record struct LineFields(bool IsObject, string PrevHash, string EventId)
{
    /// <summary>Upstream's verifier uses <c>json.loads</c>: any JSON object takes part in the chain.</summary>
    public static LineFields Read(ReadOnlySpan<byte> line)
    {
        string prev = "", id = "";
        bool ok = Scan(line, ref prev, ref id, wantId: true, expected: default, out _);
        return ok ? new LineFields(true, prev, id) : default;
    }

    /// <summary>
    /// The chain walker's allocation-free path: whether the line is a JSON object, whether it has a non-empty
    /// prev_hash, and whether that equals <paramref name="expected"/> (lowercase hex, compared as upstream compares strings).
    /// </summary>
    public static bool ReadLink(ReadOnlySpan<byte> line, ReadOnlySpan<byte> expected, out bool hasPrev, out bool matches)
    {
        string prev = "", id = "";
        bool ok = Scan(line, ref prev, ref id, wantId: false, expected, out int state);
        hasPrev = state > 0;
        matches = state == 2;
        return ok;
    }

    /// <summary>
    /// The link read ahead of the chain walk (on any thread): whether the line is a JSON object, whether it has a
    /// non-empty prev_hash, and that prev_hash's text when it is a string (else empty: it matches no hash).
    /// </summary>
    public static bool ReadPrev(ReadOnlyMemory<byte> line, out bool hasPrev, out ReadOnlyMemory<byte> prevText)
    {
        string prev = "", id = "";
        int start = -1, length = 0;
        bool ok = Scan(line.Span, ref prev, ref id, wantId: false, expected: default, out int state, 1, ref start, ref length);
        hasPrev = state > 0;
        // A plain string is a slice of the line; an escaped one (or one read from a rewritten line) is decoded.
        prevText = start >= 0 ? line.Slice(start, length) : prev.Length > 0 ? System.Text.Encoding.UTF8.GetBytes(prev) : default;
        return ok;
    }

    // state: 0 = no prev_hash, 1 = prev_hash differs, 2 = prev_hash equals expected. capture 1: a plain string
    // prev_hash's place in the line is put in start/length, an escaped one in prev; capture 2: always in prev.
    private static bool Scan(ReadOnlySpan<byte> line, ref string prev, ref string id, bool wantId, ReadOnlySpan<byte> expected, out int state)
    {
        int start = -1, length = 0;
        return Scan(line, ref prev, ref id, wantId, expected, out state, 0, ref start, ref length);
    }

    private static bool Scan(ReadOnlySpan<byte> line, ref string prev, ref string id, bool wantId, ReadOnlySpan<byte> expected, out int state,
        int capture, ref int valueStart, ref int valueLength)
    {
        state = 0;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = Json.PyJsonTranscoder.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isPrev = reader.ValueTextEquals("prev_hash"u8), isId = wantId && reader.ValueTextEquals("event_id"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && isPrev)
                {
                    // json.loads keeps the last duplicate key; so does this.
                    valueStart = -1;
                    if (capture == 1 && !reader.ValueIsEscaped)
                    {
                        prev = "";
                        valueStart = (int)reader.TokenStartIndex + 1;
                        valueLength = reader.ValueSpan.Length;
                        state = valueLength == 0 ? 0 : 1;
                    }
                    else if (reader.ValueIsEscaped || wantId || capture == 2)
                    {
                        prev = JsonText.Unescape(reader.ValueSpan, reader.ValueIsEscaped);
                        state = prev.Length == 0 ? 0 : System.Text.Ascii.Equals(expected, prev) ? 2 : 1;
                    }
                    else
                    {
                        state = reader.ValueSpan.IsEmpty ? 0 : reader.ValueSpan.SequenceEqual(expected) ? 2 : 1;
                    }
                }
                else if (reader.TokenType == JsonTokenType.String && isId)
                {
                    id = JsonText.Unescape(reader.ValueSpan, reader.ValueIsEscaped);
                }
                else
                {
                    // A non-string prev_hash: upstream treats a truthy one as a (mismatching) link, a falsy one as legacy.
                    long start = reader.TokenStartIndex;
                    JsonTokenType kind = reader.TokenType;
                    bool zero = kind == JsonTokenType.Number && reader.TryGetDouble(out double d) && d == 0;
                    reader.Skip();
                    if (isPrev)
                    {
                        if (capture != 0) (prev, valueStart) = ("", -1);
                        bool emptyContainer = kind is JsonTokenType.StartObject or JsonTokenType.StartArray
                            && line[(int)start..(int)reader.BytesConsumed].Trim(" \t\r\n"u8).Length <= 2;
                        state = kind is JsonTokenType.Null or JsonTokenType.False || zero || emptyContainer ? 0 : 1;
                    }
                }
            }
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException) when (NonFiniteLiterals.AsNull(line) is { } finite)
        {
            // Places in the rewritten line are not places in the line: a captured value is decoded instead.
            valueStart = -1;
            return Scan(finite, ref prev, ref id, wantId, expected, out state, capture == 0 ? 0 : 2, ref valueStart, ref valueLength);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Python's <c>str.strip()</c> emptiness test for a line.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\n\f\v"u8).IsEmpty;

    /// <summary>The line as upstream hashes it: without a trailing <c>\r</c> (Python reads text with universal newlines).</summary>
    public static ReadOnlySpan<byte> Normalize(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    /// <inheritdoc cref="Normalize(ReadOnlySpan{byte})"/>
    public static ReadOnlyMemory<byte> Normalize(ReadOnlyMemory<byte> line) => line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;
}
