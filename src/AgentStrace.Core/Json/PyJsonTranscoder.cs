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
        var reader = new Utf8JsonReader(json, ReaderOptions);
        char[]? rented = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
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
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
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
