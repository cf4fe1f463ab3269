using System.Buffers.Binary;
using System.Numerics;

namespace AgentStrace.Model;

/// <summary>
/// A small managed SHA-256 (FIPS 180-4) for the append path. <see cref="System.Security.Cryptography.SHA256"/> loads
/// OpenSSL on Linux, which costs ~2–3 ms of CPU per process: more than half the hook budget for hashing ~1 KiB.
/// Bulk hashing (verify, export) keeps using the platform implementation.
/// </summary>
public static class Sha256
{
    /// <summary>The 64 round constants (FIPS 180-4 §4.2.2).</summary>
    internal static ReadOnlySpan<uint> RoundConstants => K;

    private static ReadOnlySpan<uint> K =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    [ThreadStatic] private static System.Security.Cryptography.IncrementalHash? t_platform;

    /// <summary>
    /// The platform SHA-256 (OpenSSL, with the CPU's SHA instructions) through one reused context per thread: a one-shot
    /// <c>SHA256.HashData</c> creates and frees an OpenSSL context per call, which costs more than hashing an id or an
    /// event line of an import.
    /// </summary>
    public static void PlatformHash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        System.Security.Cryptography.IncrementalHash h = t_platform ??= System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        h.AppendData(data);
        h.GetHashAndReset(digest);
    }

    /// <summary>Lowercase hex SHA-256 of <paramref name="data"/>.</summary>
    public static string HashHex(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[32];
        Hash(data, digest);
        return Convert.ToHexStringLower(digest);
    }

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        Span<uint> h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
        Span<uint> w = stackalloc uint[64];
        int full = data.Length / 64;
        for (int i = 0; i < full; i++) Block(data.Slice(i * 64, 64), h, w);
        // Final block(s): remaining bytes, 0x80, zero padding, 64-bit big-endian bit length.
        Span<byte> tail = stackalloc byte[128];
        tail.Clear();
        ReadOnlySpan<byte> rest = data[(full * 64)..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        int tailLength = rest.Length + 9 <= 64 ? 64 : 128;
        BinaryPrimitives.WriteUInt64BigEndian(tail.Slice(tailLength - 8), (ulong)data.Length * 8);
        for (int i = 0; i < tailLength; i += 64) Block(tail.Slice(i, 64), h, w);
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(digest.Slice(i * 4), h[i]);
    }

    // Indexes are masked with & 63 so the JIT/ILC drops the bounds checks (w and K are exactly 64 long).
    private static void Block(ReadOnlySpan<byte> block, Span<uint> h, Span<uint> w)
    {
        w = w[..64];
        ReadOnlySpan<uint> k = K;
        for (int t = 0; t < 16; t++) w[t] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(t * 4));
        for (int t = 16; t < 64; t++)
        {
            uint w15 = w[(t - 15) & 63], w2 = w[(t - 2) & 63];
            uint s0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
            uint s1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
            w[t & 63] = w[(t - 16) & 63] + s0 + w[(t - 7) & 63] + s1;
        }
        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int t = 0; t < 64; t++)
        {
            uint t1 = hh + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + k[t & 63] + w[t & 63];
            uint t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
}
