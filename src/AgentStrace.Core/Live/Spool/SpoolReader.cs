using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace AgentStrace.Live.Spool;

/// <summary>Reads spool records from a file handle, skipping damaged ones (reported through a callback).</summary>
internal static class SpoolReader
{
    public enum Result { Record, Skipped, End }

    /// <summary>
    /// Reads the record at <paramref name="pos"/> (advancing it). Data at or past <paramref name="limit"/> is not
    /// trusted: a record that would cross it is damage when a valid record follows, else the end (a torn tail).
    /// </summary>
    public static Result ReadNext(SafeFileHandle file, ref long pos, long limit, out SpoolRecord? record, Action<string> warn)
    {
        record = null;
        if (limit - pos < SpoolFormat.HeaderSize) return Result.End;
        Span<byte> header = stackalloc byte[SpoolFormat.HeaderSize];
        RandomAccess.Read(file, header, pos);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        bool magic = header[..4].SequenceEqual(SpoolFormat.Magic);
        if (magic && length <= SpoolFormat.MaxPayload && pos + SpoolFormat.HeaderSize + length <= limit)
        {
            byte[] payload = new byte[length];
            RandomAccess.Read(file, payload, pos + SpoolFormat.HeaderSize);
            long at = pos;
            pos += SpoolFormat.HeaderSize + length;
            record = SpoolFormat.Decode(payload, BinaryPrimitives.ReadUInt32LittleEndian(header[8..]));
            if (record is not null) return Result.Record;
            warn($"spool record at offset {at} is damaged (checksum mismatch); skipped it");
            return Result.Skipped;
        }
        long next = FindMagic(file, pos + 1, limit);
        if (magic && next < 0 && length <= SpoolFormat.MaxPayload) return Result.End; // cut short by a crash
        long resume = next < 0 ? limit : next;
        warn($"spool data at offset {pos} is damaged ({resume - pos} bytes); skipped to offset {resume}");
        pos = resume;
        return Result.Skipped;
    }

    private static long FindMagic(SafeFileHandle file, long from, long limit)
    {
        byte[] buffer = new byte[64 * 1024];
        while (from < limit)
        {
            int n = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, limit - from)), from);
            if (n <= 0) return -1;
            int i = buffer.AsSpan(0, n).IndexOf(SpoolFormat.Magic);
            if (i >= 0 && from + i + SpoolFormat.HeaderSize <= limit) return from + i;
            if (n < SpoolFormat.Magic.Length) return -1;
            from += n - (SpoolFormat.Magic.Length - 1);
        }
        return -1;
    }
}
