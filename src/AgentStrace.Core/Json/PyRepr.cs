using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentStrace.Json;

/// <summary>Python <c>repr()</c> of a JSON-loaded value: what upstream stores for <c>str(dict)</c> and exports for non-string inputs.</summary>
public static class PyRepr
{
    public static string Of(RawJsonValue value)
    {
        var sb = new StringBuilder();
        Append(sb, value.ToJsonBytes());
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, PyJsonTranscoder.ReaderOptions);
        var first = new Stack<bool>();
        bool afterName = false;
        while (reader.Read())
        {
            JsonTokenType t = reader.TokenType;
            if (t is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                first.Pop();
                sb.Append(t == JsonTokenType.EndObject ? '}' : ']');
                continue;
            }
            if (!afterName && first.Count > 0)
            {
                if (!first.Peek()) sb.Append(", ");
                first.Pop();
                first.Push(false);
            }
            afterName = false;
            switch (t)
            {
                case JsonTokenType.StartObject: sb.Append('{'); first.Push(true); break;
                case JsonTokenType.StartArray: sb.Append('['); first.Push(true); break;
                case JsonTokenType.PropertyName:
                    AppendString(sb, JsonText.Unescape(reader.ValueSpan, reader.ValueIsEscaped));
                    sb.Append(": ");
                    afterName = true;
                    break;
                case JsonTokenType.String: AppendString(sb, JsonText.Unescape(reader.ValueSpan, reader.ValueIsEscaped)); break;
                case JsonTokenType.True: sb.Append("True"); break;
                case JsonTokenType.False: sb.Append("False"); break;
                case JsonTokenType.Null: sb.Append("None"); break;
                case JsonTokenType.Number: sb.Append(Number(reader.ValueSpan)); break;
            }
        }
    }

    private static string Number(ReadOnlySpan<byte> token)
    {
        if (token.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0) return Encoding.ASCII.GetString(token);
        double d = double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        return PyFloat.Format(d);
    }

    /// <summary>Python's str repr: single quotes unless the text has ' and no ".</summary>
    public static void AppendString(StringBuilder sb, string s)
    {
        char q = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(q);
        foreach (char c in s)
        {
            if (c == q || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        sb.Append(q);
    }
}
