using System.Globalization;
using System.Text;

namespace AgentStrace.Json;

/// <summary>Small helpers over raw JSON string tokens.</summary>
public static class JsonText
{
    /// <summary>
    /// Unescapes the raw bytes of a JSON string token into UTF-16, keeping lone surrogates as Python does
    /// (System.Text.Json rejects them). <paramref name="dest"/> must hold at least <c>raw.Length</c> chars.
    /// </summary>
    public static int UnescapeToChars(ReadOnlySpan<byte> raw, Span<char> dest)
    {
        int p = 0, i = 0;
        while (i < raw.Length)
        {
            int next = raw[i..].IndexOf((byte)'\\');
            ReadOnlySpan<byte> plain = next < 0 ? raw[i..] : raw.Slice(i, next);
            p += Encoding.UTF8.GetChars(plain, dest[p..]);
            if (next < 0) break;
            i += next + 1;
            byte c = raw[i++];
            switch (c)
            {
                case (byte)'n': dest[p++] = '\n'; break;
                case (byte)'r': dest[p++] = '\r'; break;
                case (byte)'t': dest[p++] = '\t'; break;
                case (byte)'b': dest[p++] = '\b'; break;
                case (byte)'f': dest[p++] = '\f'; break;
                case (byte)'u':
                    dest[p++] = (char)int.Parse(raw.Slice(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    i += 4;
                    break;
                default: dest[p++] = (char)c; break;
            }
        }
        return p;
    }

    /// <summary>Unescapes a raw string token into a new string.</summary>
    public static string Unescape(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped) return Encoding.UTF8.GetString(raw);
        char[] buffer = new char[raw.Length];
        return new string(buffer, 0, UnescapeToChars(raw, buffer));
    }
}
