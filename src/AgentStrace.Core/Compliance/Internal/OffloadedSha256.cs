using System.Buffers;
using System.Security.Cryptography;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// SHA-256 computed on another core: appended bytes are copied into 256 KiB chunks and each full chunk is hashed on
/// the thread pool, in order, while the caller goes on writing or reading the package. At most four chunks wait, so
/// memory stays bounded and a caller faster than the hash waits for it.
/// </summary>
internal sealed class OffloadedSha256 : IDisposable
{
    private const int ChunkBytes = 256 * 1024, InFlight = 4;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly SemaphoreSlim _slots = new(InFlight, InFlight);
    private byte[]? _chunk;
    private int _count;
    private Task _tail = Task.CompletedTask;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            _chunk ??= ArrayPool<byte>.Shared.Rent(ChunkBytes);
            int n = Math.Min(bytes.Length, ChunkBytes - _count);
            bytes[..n].CopyTo(_chunk.AsSpan(_count));
            _count += n;
            bytes = bytes[n..];
            if (_count == ChunkBytes) Submit();
        }
    }

    /// <summary>The hash of everything appended (then starts over, like <see cref="IncrementalHash.GetHashAndReset()"/>).</summary>
    public byte[] Finish()
    {
        Submit();
        _tail.GetAwaiter().GetResult(); // rethrows a failed chunk's exception
        return _hash.GetHashAndReset();
    }

    public string FinishHex() => Convert.ToHexStringLower(Finish());

    private void Submit()
    {
        if (_chunk is null) return;
        byte[] chunk = _chunk;
        int count = _count;
        _chunk = null;
        _count = 0;
        _slots.Wait();
        Task previous = _tail;
        _tail = Task.Run(async () =>
        {
            try
            {
                await previous; // chunks are hashed in the order they were appended
                _hash.AppendData(chunk, 0, count);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
                _slots.Release();
            }
        });
    }

    public void Dispose()
    {
        // Nothing may still be hashing when the hash is freed.
        try { _tail.Wait(); } catch (AggregateException) { } // a failure was reported by Finish, or nobody asks any more
        if (_chunk is not null) ArrayPool<byte>.Shared.Return(_chunk);
        _chunk = null;
        _hash.Dispose();
        _slots.Dispose();
    }
}
