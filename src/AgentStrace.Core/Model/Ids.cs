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
    /// A session id is a directory name in the store and a lookup key, never a path: only <c>[A-Za-z0-9._-]</c>,
    /// at most 128 chars, not starting with <c>.</c> (the store's own hidden files and directories), and none of
    /// the names the store uses for itself (<see cref="StoreNames"/>).
    /// </summary>
    public static bool IsSafeSessionId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > 128 || id[0] == '.') return false;
        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        }
        return !StoreNames.IsReserved(id);
    }

    /// <summary>
    /// The store directory for an id taken from outside (a hook payload, a transcript): its first
    /// <paramref name="maxLength"/> characters when those are a safe id, else <c>x</c> + 15 hex characters of the
    /// SHA-256 of the whole original, so a hostile id (a reserved name, <c>..</c>, slashes, control characters,
    /// megabytes of text) always lands in one stable, harmless directory.
    /// </summary>
    public static string StoreSessionId(string original, int maxLength)
    {
        string cut = original.Length > maxLength ? original[..maxLength] : original;
        return IsSafeSessionId(cut) ? cut : "x" + Sha256Hex(original)[..15];
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
