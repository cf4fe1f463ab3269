using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// A huge string value (an event's raw_line of hundreds of MB) is decoded as it streams past instead of being held
/// whole in the token buffer: the buffer stays at <see cref="LongStringBytes"/> and the decoded value, sized from a
/// look ahead at the file, is the only copy.
/// </summary>
internal sealed partial class PackageTokenStream
{
    /// <summary>A string value at least this long, read while <see cref="StreamLongString"/> is set, is streamed.</summary>
    public const int LongStringBytes = 1 << 20;

    /// <summary>
    /// Set by the caller before reading a value that may be a huge string whose decoded bytes it wants (an event's
    /// raw_line): such a value then reads as an empty string token, with its bytes in <see cref="LongString"/>.
    /// </summary>
    public bool StreamLongString { get; set; }

    /// <summary>The UTF-8 bytes of the string just read, when it was streamed; else null. Bytes that are not UTF-8 and
    /// lone surrogates come out as U+FFFD, as decoding the value to a string and encoding that would give.</summary>
    public ArraySegment<byte>? LongString { get; private set; }

    private ArraySegment<byte>? _streamed;

    private bool TryStreamString()
    {
        int quote = _pos;
        while (quote < _length && _buffer[quote] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') quote++;
        if (quote == _length || _buffer[quote] != (byte)'"') return false;
        var decoded = new StringDecoder(ContentLengthAhead(quote + 1));
        _pos = quote + 1;
        while (true)
        {
            ReadOnlySpan<byte> span = _buffer.AsSpan(_pos, _length - _pos);
            int close = FindClose(span, out int whole);
            decoded.Add(span[..(close >= 0 ? close : whole)], end: close >= 0);
            if (close >= 0)
            {
                int q = _pos + close;
                if (_hashing) HashUpTo(_base + q + 1);
                // The JSON reader goes on from an empty string put in the value's last two bytes, so its state is the
                // one after the value. Those bytes are hashed already; the token's reported start is off, nothing else.
                _buffer[q - 1] = (byte)'"';
                _buffer[q] = (byte)'"';
                _pos = q - 1;
                _streamed = decoded.Result();
                return true;
            }
            _pos += whole;
            if (_hashing) HashUpTo(_base + _pos);
            if (_final) throw new JsonException("a string value does not end before the end of the file");
            RefillAfterOne();
        }
    }

    // Index of the closing quote, or -1 with `whole` = the bytes that hold no cut escape.
    private static int FindClose(ReadOnlySpan<byte> span, out int whole)
    {
        int i = 0;
        while (true)
        {
            int k = span[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (k < 0) { whole = span.Length; return -1; }
            i += k;
            if (span[i] == (byte)'"') { whole = i; return i; }
            int length = i + 1 < span.Length && span[i + 1] == (byte)'u' ? 6 : 2;
            if (i + length > span.Length) { whole = i; return -1; }
            i += length;
        }
    }

    // Moves the unread bytes (an escape cut by the buffer's end, at most 5) to index 1 and reads on: index 0 stays a
    // consumed byte, so the closing quote is never at index 0.
    private void RefillAfterOne()
    {
        int keep = _length - _pos;
        Buffer.BlockCopy(_buffer, _pos, _buffer, 1, keep);
        _base += _pos - 1;
        _length = keep + 1;
        _pos = 1;
        int n = _stream.Read(_buffer, _length, _buffer.Length - _length);
        if (n == 0) _final = true;
        _length += n;
    }

    /// <summary>The encoded length of the string whose content starts at <paramref name="from"/>, found by reading
    /// ahead (then seeking back); -1 when the stream cannot seek or the string does not end.</summary>
    private long ContentLengthAhead(int from)
    {
        bool escape = false;
        int close = FindQuote(_buffer.AsSpan(from, _length - from), ref escape);
        if (close >= 0) return close;
        if (!_stream.CanSeek) return -1;
        long count = _length - from, back = _stream.Position;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(LongStringBytes);
        try
        {
            while (true)
            {
                int n = _stream.Read(scratch, 0, scratch.Length);
                if (n == 0) return -1;
                close = FindQuote(scratch.AsSpan(0, n), ref escape);
                if (close >= 0) return count + close;
                count += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            _stream.Position = back;
        }
    }

    // The first unescaped quote; `escape` carries a backslash that ended the previous piece.
    private static int FindQuote(ReadOnlySpan<byte> span, ref bool escape)
    {
        int i = 0;
        if (escape && !span.IsEmpty) { i = 1; escape = false; }
        while (i < span.Length)
        {
            int k = span[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (k < 0) return -1;
            i += k;
            if (span[i] == (byte)'"') return i;
            if (i + 1 == span.Length) { escape = true; return -1; }
            i += 2;
        }
        return -1;
    }

    /// <summary>Unescapes a string's content piece by piece into UTF-8 (through UTF-16, as the whole value would go),
    /// checking what the JSON reader checks: no control characters, only valid escapes.</summary>
    private sealed class StringDecoder(long capacity)
    {
        private byte[] _out = GC.AllocateUninitializedArray<byte>(capacity >= 0 ? (int)Math.Min(capacity, Array.MaxLength) : 4 << 20);
        private int _length, _charCount;
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
        private readonly Encoder _encoder = Encoding.UTF8.GetEncoder();
        private readonly char[] _chars = new char[8192];

        public ArraySegment<byte> Result() => new(_out, 0, _length);

        /// <summary>Adds a piece that cuts no escape; <paramref name="end"/>: the string ends after it.</summary>
        public void Add(ReadOnlySpan<byte> piece, bool end)
        {
            if (piece.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0) throw new JsonException("a control character inside a string");
            while (true)
            {
                int slash = piece.IndexOf((byte)'\\');
                // A run between escapes decodes on its own (as a whole-value unescape decodes it): flushed at its end.
                Plain(slash < 0 ? piece : piece[..slash], flush: slash >= 0 || end);
                if (slash < 0) break;
                int length = 2;
                char c = (char)piece[slash + 1];
                switch (c)
                {
                    case '"' or '\\' or '/': break;
                    case 'b': c = '\b'; break;
                    case 'f': c = '\f'; break;
                    case 'n': c = '\n'; break;
                    case 'r': c = '\r'; break;
                    case 't': c = '\t'; break;
                    case 'u' when int.TryParse(piece.Slice(slash + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int unit):
                        c = (char)unit;
                        length = 6;
                        break;
                    default: throw new JsonException("an invalid escape inside a string");
                }
                if (_charCount == _chars.Length) Encode(final: false);
                _chars[_charCount++] = c;
                piece = piece[(slash + length)..];
            }
            if (end) Encode(final: true);
        }

        private void Plain(ReadOnlySpan<byte> bytes, bool flush)
        {
            while (true)
            {
                if (_chars.Length - _charCount < 2) Encode(final: false);
                _decoder.Convert(bytes, _chars.AsSpan(_charCount), flush, out int used, out int produced, out bool completed);
                _charCount += produced;
                bytes = bytes[used..];
                if (completed) return;
            }
        }

        private void Encode(bool final)
        {
            ReadOnlySpan<char> chars = _chars.AsSpan(0, _charCount);
            int room = _encoder.GetByteCount(chars, final);
            if (_out.Length - _length < room)
            {
                byte[] bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max((long)_out.Length * 2, _length + (long)room)));
                _out.AsSpan(0, _length).CopyTo(bigger);
                _out = bigger;
            }
            _encoder.Convert(chars, _out.AsSpan(_length), final, out _, out int written, out _);
            _length += written;
            _charCount = 0;
        }
    }
}
