using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace AgentStrace.Live.Spool;

/// <summary>
/// On-disk layout of a spool record: <c>magic "ASP1" | u32 payload length | u32 CRC-32 of the payload | payload</c>
/// (little-endian). Payload: <c>u16 id length | id (UTF-8) | i64 source offset | f64 spooled-at | u8 flags | OTLP bytes</c>.
/// </summary>
/// <remarks>The CRC lets a reader skip a damaged record and resynchronise on the next magic instead of
/// sending garbage or stopping; a record cut short by a crash is detected by its length.</remarks>
public static class SpoolFormat
{
    public const int HeaderSize = 12;
    public const int MaxPayload = 64 * 1024 * 1024;
    public static ReadOnlySpan<byte> Magic => "ASP1"u8;

    public static byte[] Encode(SpoolRecord r)
    {
        int idLength = Encoding.UTF8.GetByteCount(r.SessionId);
        int payload = 2 + idLength + 8 + 8 + 1 + r.Otlp.Length;
        byte[] bytes = new byte[HeaderSize + payload];
        Span<byte> p = bytes.AsSpan(HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(p, (ushort)idLength);
        Encoding.UTF8.GetBytes(r.SessionId, p[2..]);
        int pos = 2 + idLength;
        BinaryPrimitives.WriteInt64LittleEndian(p[pos..], r.SourceOffset);
        BinaryPrimitives.WriteDoubleLittleEndian(p[(pos + 8)..], r.SpooledAt);
        p[pos + 16] = r.IsRoot ? (byte)1 : (byte)0;
        r.Otlp.CopyTo(p[(pos + 17)..]);
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)payload);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), Crc32.HashToUInt32(p));
        return bytes;
    }

    /// <summary>Validates a payload against its checksum and decodes it; null when damaged.</summary>
    public static SpoolRecord? Decode(ReadOnlySpan<byte> payload, uint crc)
    {
        if (Crc32.HashToUInt32(payload) != crc || payload.Length < 19) return null;
        int idLength = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        if (payload.Length < 2 + idLength + 17) return null;
        string id = Encoding.UTF8.GetString(payload.Slice(2, idLength));
        int pos = 2 + idLength;
        long offset = BinaryPrimitives.ReadInt64LittleEndian(payload[pos..]);
        double at = BinaryPrimitives.ReadDoubleLittleEndian(payload[(pos + 8)..]);
        bool root = payload[pos + 16] == 1;
        return new SpoolRecord(id, offset, at, root, payload[(pos + 17)..].ToArray());
    }
}
