using System.Security.Cryptography;
using AgentStrace.Compliance.Internal;

namespace AgentStrace.Tests.Compliance;

/// <summary>
/// The package's hashing and writing on another core: the bytes reach the consumer whole and in order whatever the
/// sizes they are written in, and a consumer's failure stops the producer instead of being lost.
/// </summary>
public sealed class ChunkPipeTests
{
    private static byte[] Data(int length)
    {
        var data = new byte[length];
        new Random(3).NextBytes(data);
        return data;
    }

    [Test]
    [Arguments(0)]
    [Arguments(1)]
    [Arguments(256 * 1024)]
    [Arguments(3_000_001)]
    public async Task OffloadedSha256_EqualsTheOneShotHash(int length)
    {
        byte[] data = Data(length);
        using var hash = new OffloadedSha256();
        var rng = new Random(length);
        for (int at = 0; at < data.Length;)
        {
            int n = Math.Min(data.Length - at, rng.Next(1, 70_000));
            hash.Append(data.AsSpan(at, n));
            at += n;
        }
        await Assert.That(hash.FinishHex()).IsEqualTo(Convert.ToHexStringLower(SHA256.HashData(data)));
        // Finishing starts over.
        hash.Append("abc"u8);
        await Assert.That(hash.FinishHex()).IsEqualTo(Convert.ToHexStringLower(SHA256.HashData("abc"u8)));
    }

    [Test]
    public async Task Writes_ArriveInOrder_ThroughGetSpanAndAdvance()
    {
        byte[] data = Data(2_500_000);
        using var sink = new MemoryStream();
        using (var pipe = new ChunkPipe((chunk, count) => sink.Write(chunk, 0, count), chunkBytes: 4096, inFlight: 2))
        {
            var rng = new Random(5);
            for (int at = 0; at < data.Length;)
            {
                int hint = rng.Next(0, 10_000); // sometimes more than a chunk
                Span<byte> span = pipe.GetSpan(hint);
                int n = Math.Min(data.Length - at, Math.Min(span.Length, Math.Max(hint, 1)));
                data.AsSpan(at, n).CopyTo(span);
                pipe.Advance(n);
                at += n;
            }
            pipe.Drain();
        }
        await Assert.That(sink.ToArray().AsSpan().SequenceEqual(data)).IsTrue();
    }

    [Test]
    public async Task ConsumerFailure_StopsTheProducer()
    {
        int consumed = 0;
        using var pipe = new ChunkPipe((_, _) =>
        {
            consumed++;
            throw new IOException("No space left on device");
        }, chunkBytes: 1024, inFlight: 1);
        IOException? thrown = null;
        try
        {
            for (int i = 0; i < 1000; i++) pipe.Append(new byte[1024]);
            pipe.Drain();
        }
        catch (IOException ex)
        {
            thrown = ex;
        }
        await Assert.That(thrown?.Message).IsEqualTo("No space left on device");
        await Assert.That(consumed).IsEqualTo(1); // the chunks after the failed one are not handed on
    }
}
