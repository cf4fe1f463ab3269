using System.Buffers.Binary;
using System.Runtime.Intrinsics;

namespace AgentStrace.Model;

/// <summary>
/// SHA-256 of four short messages at once, one per SIMD lane, keeping the first 8 bytes of each digest. Exports
/// derive a span id from every event id (upstream's rule: SHA-256(event_id)[:8]); each is a single compression, and four
/// lanes cost little more than one scalar hash. Checked against <see cref="Sha256"/> and the platform SHA-256.
/// </summary>
public static class Sha256x4
{
    /// <summary>The longest message that fits one padded block.</summary>
    public const int MaxMessage = 55;

    private static ReadOnlySpan<uint> Iv => [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>Writes SHA-256(m)[:8] of each message to <paramref name="prefixes"/> (4 × 8 bytes, in order).</summary>
    public static void HashPrefix8(ReadOnlySpan<byte> m0, ReadOnlySpan<byte> m1, ReadOnlySpan<byte> m2, ReadOnlySpan<byte> m3, Span<byte> prefixes)
    {
        if (m0.Length > MaxMessage || m1.Length > MaxMessage || m2.Length > MaxMessage || m3.Length > MaxMessage)
        {
            throw new ArgumentException($"messages must be at most {MaxMessage} bytes");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixes.Length, 32);
        Span<byte> blocks = stackalloc byte[256];
        blocks.Clear();
        Pad(m0, blocks[..64]);
        Pad(m1, blocks.Slice(64, 64));
        Pad(m2, blocks.Slice(128, 64));
        Pad(m3, blocks.Slice(192, 64));

        Span<Vector128<uint>> w = stackalloc Vector128<uint>[64];
        for (int t = 0; t < 16; t++)
        {
            w[t] = Vector128.Create(Word(blocks, 0, t), Word(blocks, 1, t), Word(blocks, 2, t), Word(blocks, 3, t));
        }
        for (int t = 16; t < 64; t++)
        {
            Vector128<uint> w15 = w[t - 15], w2 = w[t - 2];
            Vector128<uint> s0 = Rotr(w15, 7) ^ Rotr(w15, 18) ^ Vector128.ShiftRightLogical(w15, 3);
            Vector128<uint> s1 = Rotr(w2, 17) ^ Rotr(w2, 19) ^ Vector128.ShiftRightLogical(w2, 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }

        ReadOnlySpan<uint> iv = Iv;
        Vector128<uint> a = Vector128.Create(iv[0]), b = Vector128.Create(iv[1]), c = Vector128.Create(iv[2]), d = Vector128.Create(iv[3]);
        Vector128<uint> e = Vector128.Create(iv[4]), f = Vector128.Create(iv[5]), g = Vector128.Create(iv[6]), h = Vector128.Create(iv[7]);
        ReadOnlySpan<uint> k = Sha256.RoundConstants;
        for (int t = 0; t < 64; t++)
        {
            Vector128<uint> t1 = h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ Vector128.AndNot(g, e)) + Vector128.Create(k[t]) + w[t];
            Vector128<uint> t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        a += Vector128.Create(iv[0]);
        b += Vector128.Create(iv[1]);
        for (int lane = 0; lane < 4; lane++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(prefixes[(lane * 8)..], a.GetElement(lane));
            BinaryPrimitives.WriteUInt32BigEndian(prefixes[(lane * 8 + 4)..], b.GetElement(lane));
        }
    }

    // The one padded block of a short message: bytes, 0x80, zeros, 64-bit big-endian bit length (block is zeroed).
    private static void Pad(ReadOnlySpan<byte> message, Span<byte> block)
    {
        message.CopyTo(block);
        block[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(block[56..], (ulong)message.Length * 8);
    }

    private static uint Word(ReadOnlySpan<byte> blocks, int lane, int t) => BinaryPrimitives.ReadUInt32BigEndian(blocks.Slice(lane * 64 + t * 4, 4));

    private static Vector128<uint> Rotr(Vector128<uint> x, int n) => Vector128.ShiftRightLogical(x, n) | Vector128.ShiftLeft(x, 32 - n);
}
