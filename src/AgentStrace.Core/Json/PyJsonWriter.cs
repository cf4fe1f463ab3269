using System.Buffers;
using System.Globalization;
using System.Text;

namespace AgentStrace.Json;

/// <summary>
/// A JSON writer that produces the exact bytes of CPython's <c>json.dumps</c> with <c>ensure_ascii=True</c>,
/// so files written here are byte-compatible with the Python agent-strace store.
/// </summary>
public sealed class PyJsonWriter
{
    private readonly IBufferWriter<byte> _out;
    private readonly PyJsonStyle _style;
    private readonly List<int> _counts = new(8);
    private bool _afterName;

    public PyJsonWriter(IBufferWriter<byte> output, PyJsonStyle style, int baseDepth = 0)
    {
        _out = output;
        _style = style;
        BaseDepth = baseDepth;
    }

    /// <summary>Indentation depth the first value is written at (for values nested in hand-written documents).</summary>
    public int BaseDepth { get; }

    public void WriteStartObject() { BeforeValue(); Raw((byte)'{'); _counts.Add(0); }
    public void WriteEndObject() => End((byte)'}');
    public void WriteStartArray() { BeforeValue(); Raw((byte)'['); _counts.Add(0); }
    public void WriteEndArray() => End((byte)']');

    public void WritePropertyName(ReadOnlySpan<char> name)
    {
        BeforeItem();
        WriteEscaped(name);
        if (_style == PyJsonStyle.Compact) Raw((byte)':'); else Raw(": "u8);
        _afterName = true;
    }

    /// <summary>A property name given as bytes that need no escaping (printable ASCII but <c>"</c> and <c>\\</c>, e.g. a
    /// <c>u8</c> literal): written in one piece, no escaping pass.</summary>
    public void WritePropertyName(ReadOnlySpan<byte> plainName)
    {
        BeforeItem();
        int length = plainName.Length + (_style == PyJsonStyle.Compact ? 3 : 4);
        Span<byte> span = _out.GetSpan(length);
        span[0] = (byte)'"';
        plainName.CopyTo(span[1..]);
        span[plainName.Length + 1] = (byte)'"';
        span[plainName.Length + 2] = (byte)':';
        if (_style != PyJsonStyle.Compact) span[plainName.Length + 3] = (byte)' ';
        _out.Advance(length);
        _afterName = true;
    }

    public void WriteStringValue(ReadOnlySpan<char> value) { BeforeValue(); WriteEscaped(value); }
    public void WriteNullValue() { BeforeValue(); Raw("null"u8); }
    public void WriteBoolValue(bool value) { BeforeValue(); Raw(value ? "true"u8 : "false"u8); }

    public void WriteNumberValue(long value)
    {
        BeforeValue();
        Span<byte> buf = stackalloc byte[24];
        value.TryFormat(buf, out int n, default, CultureInfo.InvariantCulture);
        Raw(buf[..n]);
    }

    public void WriteNumberValue(double value)
    {
        BeforeValue();
        Span<char> chars = stackalloc char[40];
        int n = PyFloat.Format(value, chars);
        Span<byte> buf = stackalloc byte[40];
        for (int i = 0; i < n; i++) buf[i] = (byte)chars[i];
        Raw(buf[..n]);
    }

    /// <summary>Writes already-serialized JSON text verbatim (e.g. stored event data).</summary>
    public void WriteRawValue(ReadOnlySpan<byte> json) { BeforeValue(); Raw(json); }

    /// <summary>Writes a number token exactly as given (already in Python form, e.g. a big int).</summary>
    public void WriteRawNumber(ReadOnlySpan<byte> token) { BeforeValue(); Raw(token); }

    public void WriteString(ReadOnlySpan<char> name, ReadOnlySpan<char> value) { WritePropertyName(name); WriteStringValue(value); }
    public void WriteNumber(ReadOnlySpan<char> name, long value) { WritePropertyName(name); WriteNumberValue(value); }
    public void WriteNumber(ReadOnlySpan<char> name, double value) { WritePropertyName(name); WriteNumberValue(value); }
    public void WriteBool(ReadOnlySpan<char> name, bool value) { WritePropertyName(name); WriteBoolValue(value); }

    /// <summary>Writes a property whose value is any JSON text, re-serialized in this writer's style.</summary>
    public void WriteJson(ReadOnlySpan<char> name, ReadOnlySpan<byte> json) { WritePropertyName(name); WriteJsonValue(json); }

    /// <summary>Writes any JSON text as a value, re-serialized in this writer's style.</summary>
    public void WriteJsonValue(ReadOnlySpan<byte> json) => PyJsonTranscoder.Transcode(json, this);

    private int Depth => BaseDepth + _counts.Count;

    private void BeforeValue()
    {
        if (_afterName) { _afterName = false; return; }
        if (_counts.Count > 0) BeforeItem();
    }

    private void BeforeItem()
    {
        int i = _counts.Count - 1;
        bool first = _counts[i] == 0;
        _counts[i]++;
        switch (_style)
        {
            case PyJsonStyle.Compact: if (!first) Raw((byte)','); break;
            case PyJsonStyle.Default: if (!first) Raw(", "u8); break;
            default:
                Raw(first ? "\n"u8 : ",\n"u8);
                Indent(Depth);
                break;
        }
    }

    private void End(byte close)
    {
        int count = _counts[^1];
        _counts.RemoveAt(_counts.Count - 1);
        if (_style == PyJsonStyle.Indented && count > 0)
        {
            Raw((byte)'\n');
            Indent(Depth);
        }
        Raw(close);
    }

    private void Indent(int depth)
    {
        Span<byte> span = _out.GetSpan(depth * 2);
        span[..(depth * 2)].Fill((byte)' ');
        _out.Advance(depth * 2);
    }

    // Printable ASCII but the quote and the backslash: copied as is, in bulk.
    private static readonly System.Buffers.SearchValues<char> s_plain = System.Buffers.SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    // At most this many chars are escaped per request for output space, so one huge string never asks its writer for
    // six times its length at once (output stays bounded by the writer's own buffering).
    private const int EscapeChunk = 8192;

    private void WriteEscaped(ReadOnlySpan<char> s) => WriteQuoted(_out, s);

    /// <summary><c>base64.b64encode(data)</c> as a string value, encoded a piece at a time (no copy of the data's size).</summary>
    public void WriteBase64StringValue(ReadOnlySpan<byte> data)
    {
        BeforeValue();
        Raw((byte)'"');
        while (!data.IsEmpty)
        {
            int take = Math.Min(data.Length, 3 * 16 * 1024); // whole 3-byte groups: no padding mid-stream
            Span<byte> span = _out.GetSpan(take / 3 * 4 + 4);
            System.Buffers.Text.Base64.EncodeToUtf8(data[..take], span, out _, out int written);
            _out.Advance(written);
            data = data[take..];
        }
        Raw((byte)'"');
    }

    /// <summary>
    /// A string given as the raw bytes of a JSON string token (between its quotes), written as <c>json.dumps</c> writes
    /// the decoded string. Decoded a chunk at a time, never splitting an escape or a UTF-8 sequence, so a 200 MB value
    /// costs a few KiB beside the output instead of a char copy twice its size.
    /// </summary>
    public void WriteJsonStringValue(ReadOnlySpan<byte> raw, bool escaped)
    {
        BeforeValue();
        WriteDecoded(raw, escaped);
    }

    /// <inheritdoc cref="WriteJsonStringValue"/>
    public void WriteJsonPropertyName(ReadOnlySpan<byte> raw, bool escaped)
    {
        BeforeItem();
        WriteDecoded(raw, escaped);
        if (_style == PyJsonStyle.Compact) Raw((byte)':'); else Raw(": "u8);
        _afterName = true;
    }

    private void WriteDecoded(ReadOnlySpan<byte> raw, bool escaped)
    {
        Raw((byte)'"');
        // Byte to byte while the text is well-formed (the usual case); the char path takes over from the first byte that
        // is not (invalid UTF-8 decodes to U+FFFD there, as it always has).
        raw = raw[TranslateWellFormed(raw, escaped)..];
        if (raw.IsEmpty)
        {
            Raw((byte)'"');
            return;
        }
        char[] chars = ArrayPool<char>.Shared.Rent(EscapeChunk);
        try
        {
            while (!raw.IsEmpty)
            {
                int take = JsonText.ChunkBoundary(raw, EscapeChunk, escaped);
                int n = escaped ? JsonText.UnescapeToChars(raw[..take], chars) : Encoding.UTF8.GetChars(raw[..take], chars);
                EscapeChunkOf(chars.AsSpan(0, n));
                raw = raw[take..];
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
        Raw((byte)'"');
    }

    /// <summary>
    /// Writes the dump of a raw string token's text straight from its bytes (plain runs copied, escapes and UTF-8
    /// sequences re-escaped as <see cref="EscapeChunkOf"/> escapes their chars) and returns how many bytes it took: all of
    /// them, or up to the first byte that is not well-formed UTF-8 or a valid escape.
    /// </summary>
    private int TranslateWellFormed(ReadOnlySpan<byte> raw, bool escaped)
    {
        int i = 0;
        while (i < raw.Length)
        {
            // Bounded requests for output space: at most EscapeChunk input bytes per span, 6 output bytes per input byte
            // at worst (a 2-byte escape of a control char becomes \u00XX; a UTF-8 sequence, 6 per UTF-16 unit).
            int end = Math.Min(raw.Length, i + EscapeChunk);
            Span<byte> span = _out.GetSpan((end - i) * 6 + 12);
            int p = 0;
            while (i < end)
            {
                int run = raw[i..end].IndexOfAnyExcept(s_plainBytes);
                if (run < 0) run = end - i;
                raw.Slice(i, run).CopyTo(span[p..]);
                p += run;
                i += run;
                if (i >= end) break;
                byte b = raw[i];
                if (b == (byte)'\\' && escaped)
                {
                    if (i + 1 >= raw.Length) { _out.Advance(p); return i; }
                    byte e = raw[i + 1];
                    char c;
                    int length = 2;
                    switch (e)
                    {
                        case (byte)'n': c = '\n'; break;
                        case (byte)'r': c = '\r'; break;
                        case (byte)'t': c = '\t'; break;
                        case (byte)'b': c = '\b'; break;
                        case (byte)'f': c = '\f'; break;
                        case (byte)'"' or (byte)'\\' or (byte)'/': c = (char)e; break;
                        case (byte)'u' when i + 6 <= raw.Length && HexUnit(raw.Slice(i + 2, 4)) is int unit and >= 0:
                            c = (char)unit;
                            length = 6;
                            break;
                        default: _out.Advance(p); return i;
                    }
                    p += EscapeUnit(c, span[p..]);
                    i += length;
                }
                else if (b < 0x80)
                {
                    p += EscapeUnit((char)b, span[p..]); // DEL, or a quote or backslash in text that is not an escaped token
                    i++;
                }
                else
                {
                    if (System.Text.Rune.DecodeFromUtf8(raw[i..], out System.Text.Rune rune, out int used) != OperationStatus.Done)
                    {
                        _out.Advance(p);
                        return i;
                    }
                    if (rune.IsBmp)
                    {
                        p += EscapeUnit((char)rune.Value, span[p..]);
                    }
                    else
                    {
                        p += EscapeUnit((char)(((rune.Value - 0x10000) >> 10) + 0xD800), span[p..]);
                        p += EscapeUnit((char)((rune.Value & 0x3FF) + 0xDC00), span[p..]);
                    }
                    i += used;
                }
            }
            _out.Advance(p);
        }
        return i;
    }

    // The UTF-16 unit of a \uXXXX escape's four hex digits (either case), or -1.
    private static int HexUnit(ReadOnlySpan<byte> digits)
    {
        int unit = 0;
        foreach (byte d in digits)
        {
            int v = HexDigit(d);
            if (v < 0) return -1;
            unit = (unit << 4) | v;
        }
        return unit;
    }

    private static int HexDigit(byte d) => d switch
    {
        >= (byte)'0' and <= (byte)'9' => d - '0',
        >= (byte)'a' and <= (byte)'f' => d - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => d - 'A' + 10,
        _ => -1,
    };

    // One UTF-16 unit as json.dumps escapes it (the rules of EscapeChunkOf); returns the bytes written.
    private static int EscapeUnit(char c, Span<byte> span)
    {
        switch (c)
        {
            case '"': span[0] = (byte)'\\'; span[1] = (byte)'"'; return 2;
            case '\\': span[0] = (byte)'\\'; span[1] = (byte)'\\'; return 2;
            case '\n': span[0] = (byte)'\\'; span[1] = (byte)'n'; return 2;
            case '\r': span[0] = (byte)'\\'; span[1] = (byte)'r'; return 2;
            case '\t': span[0] = (byte)'\\'; span[1] = (byte)'t'; return 2;
            case '\b': span[0] = (byte)'\\'; span[1] = (byte)'b'; return 2;
            case '\f': span[0] = (byte)'\\'; span[1] = (byte)'f'; return 2;
        }
        if (c is >= ' ' and <= '~')
        {
            span[0] = (byte)c;
            return 1;
        }
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        ((int)c).TryFormat(span.Slice(2, 4), out _, "x4", CultureInfo.InvariantCulture);
        return 6;
    }

    private static readonly System.Buffers.SearchValues<byte> s_plainBytes = System.Buffers.SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private void EscapeChunkOf(ReadOnlySpan<char> s) => EscapeChunkOf(_out, s);

    /// <summary>
    /// Writes <paramref name="s"/> as <c>json.dumps</c> writes a string, quotes included, with no writer state: for
    /// callers that lay out the rest of a line themselves.
    /// </summary>
    public static void WriteQuoted(IBufferWriter<byte> output, ReadOnlySpan<char> s)
    {
        // The usual value (an id, a hash, a type name) is plain printable ASCII: one request for space, one copy.
        if (s.Length <= EscapeChunk && !s.ContainsAnyExcept(s_plain))
        {
            Span<byte> span = output.GetSpan(s.Length + 2);
            span[0] = (byte)'"';
            System.Text.Ascii.FromUtf16(s, span[1..], out int copied);
            span[copied + 1] = (byte)'"';
            output.Advance(copied + 2);
            return;
        }
        output.GetSpan(1)[0] = (byte)'"';
        output.Advance(1);
        while (!s.IsEmpty)
        {
            int take = Math.Min(s.Length, EscapeChunk);
            EscapeChunkOf(output, s[..take]);
            s = s[take..];
        }
        output.GetSpan(1)[0] = (byte)'"';
        output.Advance(1);
    }

    private static void EscapeChunkOf(IBufferWriter<byte> output, ReadOnlySpan<char> s)
    {
        // Worst case every char becomes \uXXXX (6 bytes).
        Span<byte> span = output.GetSpan(s.Length * 6);
        int p = 0;
        while (!s.IsEmpty)
        {
            int run = s.IndexOfAnyExcept(s_plain);
            if (run < 0) run = s.Length;
            if (run > 0)
            {
                System.Text.Ascii.FromUtf16(s[..run], span[p..], out int copied);
                p += copied;
                s = s[run..];
                if (s.IsEmpty) break;
            }
            char c = s[0];
            s = s[1..];
            switch (c)
            {
                case '"': span[p++] = (byte)'\\'; span[p++] = (byte)'"'; break;
                case '\\': span[p++] = (byte)'\\'; span[p++] = (byte)'\\'; break;
                case '\n': span[p++] = (byte)'\\'; span[p++] = (byte)'n'; break;
                case '\r': span[p++] = (byte)'\\'; span[p++] = (byte)'r'; break;
                case '\t': span[p++] = (byte)'\\'; span[p++] = (byte)'t'; break;
                case '\b': span[p++] = (byte)'\\'; span[p++] = (byte)'b'; break;
                case '\f': span[p++] = (byte)'\\'; span[p++] = (byte)'f'; break;
                default:
                    span[p++] = (byte)'\\'; span[p++] = (byte)'u';
                    ((int)c).TryFormat(span.Slice(p, 4), out _, "x4", CultureInfo.InvariantCulture);
                    p += 4;
                    break;
            }
        }
        output.Advance(p);
    }

    private void Raw(byte b)
    {
        _out.GetSpan(1)[0] = b;
        _out.Advance(1);
    }

    private void Raw(ReadOnlySpan<byte> bytes) => _out.Write(bytes);

    /// <summary>Serializes a string the way <c>json.dumps(s)</c> does, returning the JSON text.</summary>
    public static string Quote(string s)
    {
        var buffer = new ArrayBufferWriter<byte>(s.Length + 8);
        new PyJsonWriter(buffer, PyJsonStyle.Compact).WriteStringValue(s);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }
}
