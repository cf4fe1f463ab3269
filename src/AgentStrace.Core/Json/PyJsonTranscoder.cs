using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentStrace.Json;

/// <summary>Re-serializes any JSON text through <see cref="PyJsonWriter"/>, as <c>json.dumps(json.loads(text))</c> would.</summary>
public static class PyJsonTranscoder
{
    /// <summary>Nesting the tool stores and reads back losslessly (payloads of 1,000+ levels are real); readers are iterative.</summary>
    public const int MaxDepth = 4096;

    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    public static void Transcode(ReadOnlySpan<byte> json, PyJsonWriter writer)
    {
        // Python's NaN/Infinity (a store written by the Python tool, a 1e400 read as infinity) come out as null
        // rather than failing half-way through the output.
        if (NonFiniteLiterals.AsNull(json) is { } finite) json = finite;
        // A repeated key comes out once, as json.loads reads it.
        Dictionary<int, List<RepeatedKeys.Member>>? repeated = RepeatedKeys.Find(json);
        char[]? rented = null;
        try
        {
            Emit(json, 0, json.Length, repeated, writer, ref rented);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    // The value at doc[start..end]; an object that repeats a key is written member by member as Python keeps them.
    private static void Emit(ReadOnlySpan<byte> doc, int start, int end, Dictionary<int, List<RepeatedKeys.Member>>? repeated, PyJsonWriter writer, ref char[]? rented)
    {
        var reader = new Utf8JsonReader(doc[start..end], ReaderOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when repeated is not null && repeated.TryGetValue(start + (int)reader.TokenStartIndex, out List<RepeatedKeys.Member>? members):
                    writer.WriteStartObject();
                    foreach (RepeatedKeys.Member m in members)
                    {
                        writer.WriteJsonPropertyName(doc.Slice(m.NameStart, m.NameLength), m.NameEscaped);
                        Emit(doc, m.ValueStart, m.ValueEnd, repeated, writer, ref rented);
                    }
                    writer.WriteEndObject();
                    reader.Skip();
                    break;
                case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                // Names and values are decoded and escaped a chunk at a time: a 200 MB string needs no 400 MB char copy.
                case JsonTokenType.PropertyName when !reader.HasValueSequence: writer.WriteJsonPropertyName(reader.ValueSpan, reader.ValueIsEscaped); break;
                case JsonTokenType.PropertyName: writer.WritePropertyName(Unescape(ref reader, ref rented)); break;
                case JsonTokenType.String when !reader.HasValueSequence: writer.WriteJsonStringValue(reader.ValueSpan, reader.ValueIsEscaped); break;
                case JsonTokenType.String: writer.WriteStringValue(Unescape(ref reader, ref rented)); break;
                case JsonTokenType.True: writer.WriteBoolValue(true); break;
                case JsonTokenType.False: writer.WriteBoolValue(false); break;
                case JsonTokenType.Null: writer.WriteNullValue(); break;
                case JsonTokenType.Number: WriteNumber(reader.ValueSpan, writer); break;
            }
        }
    }

    /// <summary>Returns <c>json.dumps(value)</c> of a JSON text in the given style.</summary>
    public static string ToPython(ReadOnlySpan<byte> json, PyJsonStyle style)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        Transcode(json, new PyJsonWriter(buffer, style));
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    internal static void WriteNumber(ReadOnlySpan<byte> token, PyJsonWriter writer)
    {
        if (token.IndexOfAny("."u8[0], (byte)'e', (byte)'E') >= 0)
        {
            writer.WriteNumberValue(double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        else if (token.SequenceEqual("-0"u8))
        {
            writer.WriteRawNumber("0"u8);
        }
        else
        {
            writer.WriteRawNumber(token);
        }
    }

    private static ReadOnlySpan<char> Unescape(ref Utf8JsonReader reader, ref char[]? rented)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (rented is null || rented.Length < raw.Length)
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
            rented = ArrayPool<char>.Shared.Rent(Math.Max(raw.Length, 256));
        }
        int n = reader.ValueIsEscaped ? JsonText.UnescapeToChars(raw, rented) : Encoding.UTF8.GetChars(raw, rented);
        return rented.AsSpan(0, n);
    }
}
