using System.IO.Compression;

namespace AgentStrace.Otlp.Internal;

/// <summary>Inflates a gzip response body, stopping at a size cap (a few KB of "gzip bomb" can inflate to gigabytes).</summary>
internal static class BoundedGzip
{
    /// <summary>
    /// Inflates <paramref name="compressed"/>; false when it is not gzip (<paramref name="tooLarge"/> false) or inflates to
    /// more than <paramref name="maxBytes"/> (<paramref name="tooLarge"/> true). Reads at most <paramref name="maxBytes"/> + 1
    /// bytes of output, so memory stays bounded whatever the ratio.
    /// </summary>
    public static bool TryInflate(ReadOnlySpan<byte> compressed, int maxBytes, out byte[]? inflated, out bool tooLarge)
    {
        inflated = null;
        tooLarge = false;
        using var output = new PooledBufferStream(Math.Min(maxBytes, Math.Max(1024, compressed.Length * 4)));
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = gzip.Read(chunk)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    tooLarge = true;
                    return false;
                }
                output.Write(chunk.AsSpan(0, read));
            }
        }
        catch (InvalidDataException)
        {
            return false;
        }
        inflated = output.WrittenMemory.ToArray();
        return true;
    }
}
