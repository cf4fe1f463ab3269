using System.IO.Hashing;
using System.Text;

namespace AgentStrace.Json;

/// <summary>
/// Turns short UTF-8 tokens that repeat across a session (tool names, argument names, models) into strings, each
/// decoded once: a direct-mapped table keyed by the token's xxHash3, so a hit costs one hash and one compare.
/// Every string is <see cref="Prefix"/> + the decoded token, which lets span names and prefixed attribute keys be
/// cached the same way.
/// </summary>
public sealed class Utf8Interner(string prefix = "")
{
    private const int Slots = 256;
    private const int MaxTokenBytes = 128;
    private readonly byte[]?[] _keys = new byte[]?[Slots];
    private readonly string[] _values = new string[Slots];

    public string Prefix { get; } = prefix;

    /// <summary>Prefix + the decoded value of a string token (escaped tokens are decoded, not cached).</summary>
    public string Get(RawJsonValue token) => token.Escaped ? Prefix + token.GetString() : Get(token.Raw.Span);

    /// <summary>Prefix + the UTF-8 text (invalid bytes decode to U+FFFD, as <see cref="Encoding.UTF8"/> does).</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxTokenBytes) return Prefix + Encoding.UTF8.GetString(utf8);
        int slot = (int)(XxHash3.HashToUInt64(utf8) & (Slots - 1));
        if (_keys[slot] is { } key && utf8.SequenceEqual(key)) return _values[slot];
        string value = Prefix + Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }
}
