using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// Reads a package's JSON tokens from a stream through one growing buffer (bounded by the largest token, not the
/// file) and computes the manifest hash on the way: every byte up to the <c>integrity_manifest</c> member at the
/// top level, except the scalar values of the volatile keys (<see cref="EuAiActPackage.IsVolatileKey"/>).
/// </summary>
internal sealed partial class PackageTokenStream : IDisposable
{
    private readonly Stream _stream;
    // Hashed on another core while this thread reads tokens.
    private readonly OffloadedSha256 _hash = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _length, _pos, _valueStart, _valueLength, _tokenStartInBuffer, _tokenEnd;
    // Tokens read ahead in the buffer, handed out one by one; the buffer is not refilled while any is left.
    private readonly Token[] _tokens = new Token[512];
    private int _next, _count;
    private JsonException? _error;
    private long _base, _hashedUpTo, _previousEnd;
    private bool _final, _hashing = true, _volatileValueNext;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = Json.PyJsonTranscoder.MaxDepth });

    public PackageTokenStream(Stream stream) => _stream = stream;

    public JsonTokenType TokenType { get; private set; }
    public int Depth { get; private set; }
    public bool ValueIsEscaped { get; private set; }
    /// <summary>Absolute byte offset of the current token.</summary>
    public long TokenStart { get; private set; }
    public long TokenEnd { get; private set; }
    public string? ManifestHash { get; private set; }

    /// <summary>The token's value (string contents without quotes, or the literal); valid until the next read.</summary>
    public ReadOnlySpan<byte> ValueSpan => _buffer.AsSpan(_valueStart, _valueLength);

    /// <summary>The token's full JSON text (strings with their quotes); valid until the next read.</summary>
    public ReadOnlySpan<byte> RawToken => _buffer.AsSpan(_tokenStartInBuffer, (int)(TokenEnd - TokenStart));

    public bool Read()
    {
        LongString = null;
        while (_next == _count)
        {
            if (_error is not null) throw _error;
            if (!Fill()) return false;
        }
        ref Token t = ref _tokens[_next++];
        LongString = _streamed;
        _streamed = null;
        TokenType = t.Type;
        Depth = t.Depth;
        ValueIsEscaped = t.Escaped;
        _tokenStartInBuffer = t.Start;
        bool quoted = TokenType is JsonTokenType.String or JsonTokenType.PropertyName;
        _valueStart = t.Start + (quoted ? 1 : 0);
        _valueLength = t.ValueLength;
        _tokenEnd = t.End;
        TokenStart = _base + t.Start;
        // A property name's consumed bytes include the ':'; the raw token is the quoted name.
        TokenEnd = quoted ? TokenStart + _valueLength + 2 : _base + t.End;
        Hash();
        FeedDigest();
        return true;
    }

    // Reads the next tokens of the buffer with one reader (not one per token); false at the end of the file. A JSON
    // error is kept and thrown when the tokens read before it have been handed out, as reading one by one would.
    private bool Fill()
    {
        _next = _count = 0;
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_pos, _length - _pos), _final, _state);
            try
            {
                while (_count < _tokens.Length && reader.Read())
                {
                    ref Token t = ref _tokens[_count++];
                    t.Type = reader.TokenType;
                    t.Depth = reader.CurrentDepth;
                    t.Escaped = reader.ValueIsEscaped;
                    t.Start = _pos + (int)reader.TokenStartIndex;
                    t.ValueLength = reader.ValueSpan.Length;
                    t.End = _pos + (int)reader.BytesConsumed;
                }
            }
            catch (JsonException ex)
            {
                _error = ex;
                return true;
            }
            _pos += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (_count > 0) return true;
            if (_final) return false;
            if (StreamLongString && _length - _pos >= LongStringBytes && TryStreamString()) continue;
            Refill();
        }
    }

    private struct Token
    {
        public JsonTokenType Type;
        public bool Escaped;
        public int Depth, Start, ValueLength, End;
    }

    // Token by token only where a range is left out (a volatile value, the manifest); the bytes in between are hashed
    // in whole pieces, before the buffer moves (Refill) or at the next range left out.
    private void Hash()
    {
        if (!_hashing) return;
        if (TokenType == JsonTokenType.PropertyName && Depth == 1 && ValueSpan.SequenceEqual("integrity_manifest"u8))
        {
            // Covered region ends where the previous top-level value ended.
            HashUpTo(_previousEnd);
            _hashing = false;
            ManifestHash = _hash.FinishHex();
            return;
        }
        long end = _base + _tokenEnd;
        if (_volatileValueNext && TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            HashUpTo(TokenStart);
            _hashedUpTo = TokenType == JsonTokenType.String ? TokenStart + _valueLength + 2 : end;
        }
        _previousEnd = end;
        _volatileValueNext = TokenType == JsonTokenType.PropertyName && EuAiActPackage.IsVolatileKey(ValueSpan);
    }

    private void HashUpTo(long end)
    {
        if (end <= _hashedUpTo) return;
        _hash.Append(_buffer.AsSpan((int)(_hashedUpTo - _base), (int)(end - _hashedUpTo)));
        _hashedUpTo = end;
    }

    private void Refill()
    {
        if (_hashing) HashUpTo(_base + _pos);
        int keep = _length - _pos;
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, keep);
            _base += _pos;
            _length = keep;
            _pos = 0;
        }
        if (_length == _buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        int n = _stream.Read(_buffer, _length, _buffer.Length - _length);
        if (n == 0) _final = true;
        _length += n;
    }

    /// <summary>
    /// When set, every token read is also fed here (type, length, exact text), except members named in
    /// <see cref="DigestExcluded"/>: two copies of one section give the same digest only if their tokens match.
    /// </summary>
    public OffloadedSha256? Digest { get; set; }

    private void DigestAppend(ReadOnlySpan<byte> bytes) => Digest!.Append(bytes);

    public static readonly string[] DigestExcluded = ["session_id", "line_number", "raw_line", "unparsed_lines"];

    private bool _excluding, _excludedValueStarted;
    private int _excludeDepth;

    /// <summary>Feeds the current token to <see cref="Digest"/> (used for the token the digest starts at).</summary>
    public void FeedCurrent()
    {
        ReadOnlySpan<byte> token = RawToken;
        // Type, length and text in one append when the token is short (most are).
        Span<byte> head = stackalloc byte[5 + 123];
        head[0] = (byte)TokenType;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(head[1..], token.Length);
        if (token.Length <= 123)
        {
            token.CopyTo(head[5..]);
            DigestAppend(head[..(5 + token.Length)]);
            return;
        }
        DigestAppend(head[..5]);
        DigestAppend(token);
    }

    private void FeedDigest()
    {
        if (Digest is null) return;
        if (_excluding)
        {
            bool container = TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray;
            if (!_excludedValueStarted) { _excludedValueStarted = true; _excluding = container; }
            else if (Depth == _excludeDepth && TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) _excluding = false;
            return;
        }
        if (TokenType == JsonTokenType.PropertyName && IsDigestExcluded(ValueSpan))
        {
            _excluding = true;
            _excludedValueStarted = false;
            _excludeDepth = Depth;
            return;
        }
        FeedCurrent();
    }

    private static bool IsDigestExcluded(ReadOnlySpan<byte> name)
    {
        foreach (string n in DigestExcluded)
        {
            if (System.Text.Ascii.Equals(name, n)) return true;
        }
        return false;
    }

    /// <summary>Skips the value that starts at the current token (no-op for scalars).</summary>
    public void SkipValue()
    {
        if (TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
        int depth = Depth;
        while (Read())
        {
            if (Depth == depth && TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) return;
        }
    }

    public void Dispose()
    {
        _hash.Dispose();
        byte[] b = _buffer;
        _buffer = [];
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
