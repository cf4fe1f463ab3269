using System.Security.Cryptography;
using System.Text;

namespace AgentStrace.Model;

/// <summary>Id generation and validation (upstream's id rules).</summary>
public static class Ids
{
    /// <summary>12 lowercase hex chars, like <c>uuid4().hex[:12]</c>.</summary>
    public static string NewEventId() => RandomHex(6);

    /// <summary>16 lowercase hex chars, like <c>uuid4().hex[:16]</c>.</summary>
    public static string NewSessionId() => RandomHex(8);

    private static string RandomHex(int bytes)
    {
        Span<byte> b = stackalloc byte[bytes];
        // Ids need uniqueness, not secrecy; RandomNumberGenerator would load OpenSSL (~2 ms per hook process).
        Random.Shared.NextBytes(b);
        return Convert.ToHexStringLower(b);
    }

    /// <summary>
    /// A session id given on a command line is a lookup key, never a path: only <c>[A-Za-z0-9._-]</c>,
    /// at most 128 chars, and not <c>.</c> or <c>..</c>.
    /// </summary>
    public static bool IsSafeSessionId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > 128 || id is "." or "..") return false;
        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        }
        return true;
    }

    /// <summary>Lowercase hex SHA-256 of UTF-8 bytes.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));
}
