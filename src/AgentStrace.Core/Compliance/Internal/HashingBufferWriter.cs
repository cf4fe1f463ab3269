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
    private Memory<byte> _last;

    public bool Suspended { get; set; }

    public long Written { get; private set; }

    public void Advance(int count)
    {
        if (!Suspended) _hash.AppendData(_last.Span[..count]);
        Written += count;
        inner.Advance(count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => (_last = inner.GetMemory(sizeHint)).Span;

    public string FinishHex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
