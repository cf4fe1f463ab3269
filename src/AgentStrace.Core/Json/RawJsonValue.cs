using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentStrace.Json;

/// <summary>
/// A value inside a stored JSON document, kept as raw bytes. Strings keep their escaped token text
/// (without quotes); every other kind keeps its full JSON text.
/// </summary>
public readonly struct RawJsonValue
{
    public RawJsonValue(JsonTokenType kind, ReadOnlyMemory<byte> raw, bool escaped)
    {
        Kind = kind;
        Raw = raw;
        Escaped = escaped;
    }

    public JsonTokenType Kind { get; }
    public ReadOnlyMemory<byte> Raw { get; }
    public bool Escaped { get; }

    public bool IsString => Kind == JsonTokenType.String;
    public bool IsNumber => Kind == JsonTokenType.Number;
    public bool IsObject => Kind == JsonTokenType.StartObject;
    public bool IsArray => Kind == JsonTokenType.StartArray;
    public bool IsNull => Kind is JsonTokenType.Null or JsonTokenType.None;
    public bool IsBool => Kind is JsonTokenType.True or JsonTokenType.False;

    /// <summary>True for a JSON number written without fraction or exponent (a Python int).</summary>
    public bool IsInteger => IsNumber && Raw.Span.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;

    public string GetString() => IsString ? JsonText.Unescape(Raw.Span, Escaped) : "";

    /// <summary>The first <paramref name="maxChars"/> chars of a string value (see <see cref="JsonText.UnescapeHead"/>).</summary>
    public string GetStringHead(int maxChars, out bool truncated)
    {
        truncated = false;
        return IsString ? JsonText.UnescapeHead(Raw.Span, Escaped, maxChars, out truncated) : "";
    }

    /// <summary>Python <c>s[:n]</c> of a string value as valid UTF-8, sliced from the stored bytes when possible.</summary>
    public bool TryGetUtf8Head(int codePoints, out ArraySegment<byte> utf8)
    {
        utf8 = default;
        return IsString && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(Raw, out ArraySegment<byte> raw)
            && JsonText.TryUtf8Head(raw, Escaped, codePoints, out utf8);
    }

    public bool TryGetInt64(out long value)
    {
        value = 0;
        return IsInteger && long.TryParse(Raw.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public bool TryGetDouble(out double value)
    {
        value = 0;
        return IsNumber && double.TryParse(Raw.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Python truthiness: false for null, false, 0, "", {} and [].</summary>
    public bool IsTruthy
    {
        get
        {
            switch (Kind)
            {
                case JsonTokenType.String: return Raw.Length > 0;
                case JsonTokenType.True: return true;
                case JsonTokenType.Number: return TryGetDouble(out double d) && d != 0;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray: return Raw.Length > 2 && Raw.Span.Trim(" \t\r\n"u8).Length > 2;
                default: return false;
            }
        }
    }

    /// <summary>The value as an object (empty when it is not one).</summary>
    public RawJsonObject AsObject() => IsObject ? new RawJsonObject(Raw) : RawJsonObject.Empty;

    /// <summary>Full JSON text of the value (strings re-quoted).</summary>
    public byte[] ToJsonBytes()
    {
        if (!IsString) return Raw.ToArray();
        byte[] b = new byte[Raw.Length + 2];
        b[0] = (byte)'"';
        Raw.Span.CopyTo(b.AsSpan(1));
        b[^1] = (byte)'"';
        return b;
    }

    /// <summary><c>json.dumps(value)</c> with the given layout.</summary>
    public string ToPythonJson(PyJsonStyle style = PyJsonStyle.Default) => PyJsonTranscoder.ToPython(ToJsonBytes(), style);

    /// <summary>Python <c>str(value)</c>: the string itself, else its repr (<c>True</c>, <c>None</c>, <c>{'a': 1}</c>).</summary>
    public string ToPythonStr() => IsString ? GetString() : PyRepr.Of(this);

    public override string ToString() => IsString ? GetString() : Encoding.UTF8.GetString(Raw.Span);
}
