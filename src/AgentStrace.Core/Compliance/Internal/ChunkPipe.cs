using System.Buffers;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// Hands bytes, gathered into chunks, to a consumer on the thread pool, one chunk after another in the order they were
/// written, while the caller goes on producing: the package's hashing and its file writes run on another core than
/// the one rendering or reading it. At most <c>inFlight</c> chunks wait, so memory stays bounded and a producer
/// faster than the consumer waits for it. A consumer's failure is thrown by the next chunk handed over or by <see cref="Drain"/>.
/// </summary>
internal sealed class ChunkPipe(Action<byte[], int> consume, int chunkBytes = 256 * 1024, int inFlight = 4) : IBufferWriter<byte>, IDisposable
{
    private readonly SemaphoreSlim _slots = new(inFlight, inFlight);
    private byte[]? _chunk;
    private int _count;
    private Task _tail = Task.CompletedTask;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        // Most appends are a token or a few: copied into the chunk at hand.
        if (_chunk is not null && bytes.Length < _chunk.Length - _count)
        {
            bytes.CopyTo(_chunk.AsSpan(_count));
            _count += bytes.Length;
            return;
        }
        while (!bytes.IsEmpty)
        {
            Span<byte> free = GetSpan();
            int n = Math.Min(bytes.Length, free.Length);
            bytes[..n].CopyTo(free);
            Advance(n);
            bytes = bytes[n..];
        }
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_chunk is not null && _chunk.Length - _count < sizeHint) Submit();
        _chunk ??= ArrayPool<byte>.Shared.Rent(Math.Max(chunkBytes, sizeHint));
        return _chunk.AsMemory(_count);
    }

    public void Advance(int count)
    {
        _count += count;
        if (_count == _chunk!.Length) Submit();
    }

    /// <summary>Hands over what is gathered and waits until every chunk is consumed (rethrows a consumer's failure).</summary>
    public void Drain()
    {
        Submit();
        _tail.GetAwaiter().GetResult();
    }

    private void Submit()
    {
        if (_chunk is null) return;
        byte[] chunk = _chunk;
        int count = _count;
        _chunk = null;
        _count = 0;
        if (count == 0)
        {
            ArrayPool<byte>.Shared.Return(chunk);
            return;
        }
        _slots.Wait();
        if (_tail.IsFaulted)
        {
            ArrayPool<byte>.Shared.Return(chunk);
            _slots.Release();
            _tail.GetAwaiter().GetResult(); // stop producing at the first failure (a full disk, a closed pipe)
        }
        Task previous = _tail;
        _tail = Task.Run(async () =>
        {
            try
            {
                await previous; // in order; a failure before this chunk fails it too
                consume(chunk, count);
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
        // Nothing may still be running when the consumer's resources are freed.
        try { _tail.Wait(); } catch (AggregateException) { } // a failure was thrown by Drain, or nobody asks any more
        if (_chunk is not null) ArrayPool<byte>.Shared.Return(_chunk);
        _chunk = null;
        _slots.Dispose();
    }
}
