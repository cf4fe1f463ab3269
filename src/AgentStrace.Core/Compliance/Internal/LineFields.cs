using System.Text.Json;
using AgentStrace.Json;

namespace AgentStrace.Compliance.Internal;

/// <summary>The few top-level fields the chain needs from a raw line, read without building an event.</summary>
internal readonly record struct LineFields(bool IsObject, string PrevHash, string EventId)
{
    /// <summary>Upstream's verifier uses <c>json.loads</c>: any JSON object takes part in the chain.</summary>
    public static LineFields Read(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 512 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            string prev = "", id = "";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isPrev = reader.ValueTextEquals("prev_hash"u8), isId = reader.ValueTextEquals("event_id"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && (isPrev || isId))
                {
                    string s = JsonText.Unescape(reader.ValueSpan, reader.ValueIsEscaped);
                    if (isPrev) prev = s; else id = s;
                }
                else
                {
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return default;
            return new LineFields(true, prev, id);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Python's <c>str.strip()</c> emptiness test for a line.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\n\f\v"u8).IsEmpty;

    /// <summary>The line as upstream hashes it: without a trailing <c>\r</c> (Python reads text with universal newlines).</summary>
    public static ReadOnlySpan<byte> Normalize(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
