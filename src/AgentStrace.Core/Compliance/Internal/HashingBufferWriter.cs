using System.Buffers;
using System.Security.Cryptography;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// Passes bytes through to another writer and feeds them to SHA-256 unless <see cref="Suspended"/>: the package
/// manifest hash is computed while the package streams out, never over an in-memory copy.
/// </summary>
internal sealed class HashingBufferWriter(IBufferWriter<byte> inner) : IBufferWriter<byte>, IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    // Writers advance a few bytes at a time; hashing each piece is one OpenSSL call, so pieces are gathered first.
    private readonly byte[] _pending = new byte[64 * 1024];
    private int _pendingCount;
    private Memory<byte> _last;

    public bool Suspended { get; set; }

    public long Written { get; private set; }

    public void Advance(int count)
    {
        if (!Suspended) Hash(_last.Span[..count]);
        Written += count;
        inner.Advance(count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => (_last = inner.GetMemory(sizeHint)).Span;

    public string FinishHex()
    {
        FlushPending();
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    private void Hash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _pending.Length - _pendingCount)
        {
            FlushPending();
            if (bytes.Length > _pending.Length)
            {
                _hash.AppendData(bytes);
                return;
            }
        }
        bytes.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += bytes.Length;
    }

    private void FlushPending()
    {
        if (_pendingCount == 0) return;
        _hash.AppendData(_pending, 0, _pendingCount);
        _pendingCount = 0;
    }

    public void Dispose() => _hash.Dispose();
}
