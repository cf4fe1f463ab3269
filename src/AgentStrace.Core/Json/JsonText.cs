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

    /// <summary>
    /// The first <paramref name="maxChars"/> UTF-16 chars of a raw string token, decoding only the bytes they can come
    /// from (at most 3 per char, 6 for an escape), so a 200 MB value costs no 400 MB string. <paramref name="truncated"/>
    /// says the value went on. A cut never splits an escape, a UTF-8 sequence or a surrogate pair.
    /// </summary>
    public static string UnescapeHead(ReadOnlySpan<byte> raw, bool escaped, int maxChars, out bool truncated)
    {
        if (maxChars <= 0)
        {
            truncated = raw.Length > 0;
            return "";
        }
        long need = (escaped ? 6L : 3L) * maxChars + 12;
        string head;
        if (raw.Length <= need)
        {
            head = Unescape(raw, escaped);
            truncated = head.Length > maxChars;
        }
        else
        {
            int cut = (int)need;
            if (escaped) cut = EscapeBoundary(raw, cut);
            while (cut > 0 && (raw[cut] & 0xC0) == 0x80) cut--;
            head = Unescape(raw[..cut], escaped);
            truncated = true;
        }
        if (head.Length <= maxChars) return head;
        int keep = char.IsHighSurrogate(head[maxChars - 1]) ? maxChars - 1 : maxChars;
        return head[..keep];
    }

    /// <summary>
    /// How many bytes of a raw string token (at most <paramref name="max"/>) make a piece that decodes on its own as it
    /// would inside the whole: the cut splits neither an escape nor a UTF-8 sequence.
    /// </summary>
    public static int ChunkBoundary(ReadOnlySpan<byte> raw, int max, bool escaped)
    {
        if (raw.Length <= max) return raw.Length;
        int cut = escaped ? EscapeBoundary(raw, max) : max;
        int atLead = cut;
        while (atLead > 0 && (raw[atLead] & 0xC0) == 0x80) atLead--; // continuation bytes are 10xxxxxx
        return atLead > 0 ? atLead : cut; // only continuation bytes: invalid anyway, each decodes alone
    }

    /// <summary>The largest index ≤ <paramref name="cut"/> that is not inside an escape sequence.</summary>
    private static int EscapeBoundary(ReadOnlySpan<byte> raw, int cut)
    {
        int i = 0;
        while (true)
        {
            int next = raw[i..cut].IndexOf((byte)'\\');
            if (next < 0) return cut;
            i += next;
            int length = i + 1 < raw.Length && raw[i + 1] == (byte)'u' ? 6 : 2;
            if (i + length > cut) return i;
            i += length;
        }
    }

    /// <summary>Unescapes a raw string token into a new string.</summary>
    public static string Unescape(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped) return Encoding.UTF8.GetString(raw);
        char[] buffer = new char[raw.Length];
        return new string(buffer, 0, UnescapeToChars(raw, buffer));
    }

    /// <summary>
    /// Python <c>s[:n]</c> of a raw string token, as UTF-8: a slice of <paramref name="raw"/> when it has no escapes,
    /// else a new buffer. False when the result would not be valid UTF-8 (a lone surrogate escape, stray bytes); the
    /// caller then takes the UTF-16 path, which keeps Python's behaviour for those.
    /// </summary>
    public static bool TryUtf8Head(ArraySegment<byte> raw, bool escaped, int codePoints, out ArraySegment<byte> utf8)
    {
        utf8 = default;
        if (!escaped)
        {
            int cut = Utf8Head(raw, codePoints, out _);
            if (!System.Text.Unicode.Utf8.IsValid(raw.AsSpan(0, cut))) return false;
            utf8 = raw.Slice(0, cut);
            return true;
        }
        ReadOnlySpan<byte> src = raw;
        byte[] dest = new byte[Math.Min(src.Length, codePoints * 4L)];
        int i = 0, o = 0, count = 0;
        while (i < src.Length && count < codePoints)
        {
            int next = src[i..].IndexOf((byte)'\\');
            ReadOnlySpan<byte> plain = next < 0 ? src[i..] : src.Slice(i, next);
            int taken = Utf8Head(plain, codePoints - count, out int seen);
            plain[..taken].CopyTo(dest.AsSpan(o));
            o += taken;
            count += seen;
            i += taken;
            if (next < 0 || taken < plain.Length || count == codePoints) break;
            i++;
            byte c = src[i++];
            if (c != (byte)'u')
            {
                dest[o++] = c switch { (byte)'n' => (byte)'\n', (byte)'r' => (byte)'\r', (byte)'t' => (byte)'\t', (byte)'b' => (byte)'\b', (byte)'f' => (byte)'\f', _ => c };
                count++;
                continue;
            }
            int unit = Hex4(src.Slice(i, 4));
            i += 4;
            if (char.IsLowSurrogate((char)unit)) return false;
            if (char.IsHighSurrogate((char)unit))
            {
                if (i + 6 > src.Length || src[i] != (byte)'\\' || src[i + 1] != (byte)'u') return false;
                int low = Hex4(src.Slice(i + 2, 4));
                if (!char.IsLowSurrogate((char)low)) return false;
                i += 6;
                unit = char.ConvertToUtf32((char)unit, (char)low);
            }
            o += new Rune(unit).EncodeToUtf8(dest.AsSpan(o));
            count++;
        }
        if (!System.Text.Unicode.Utf8.IsValid(dest.AsSpan(0, o))) return false;
        utf8 = new ArraySegment<byte>(dest, 0, o);
        return true;
    }

    // Bytes of s that hold its first `codePoints` code points (UTF-8 lead bytes); `seen` = how many it holds.
    private static int Utf8Head(ReadOnlySpan<byte> s, int codePoints, out int seen)
    {
        int asciiRun = s.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
        if (asciiRun < 0) asciiRun = s.Length;
        if (asciiRun >= codePoints)
        {
            seen = codePoints;
            return Math.Min(codePoints, s.Length);
        }
        seen = asciiRun;
        int i = asciiRun;
        for (; i < s.Length; i++)
        {
            if ((s[i] & 0xC0) == 0x80) continue;
            if (seen == codePoints) break;
            seen++;
        }
        return i;
    }

    private static int Hex4(ReadOnlySpan<byte> hex) => int.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
