using System.Buffers;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// Passes bytes through to another writer and feeds them to SHA-256 unless <see cref="Suspended"/>: the package
/// manifest hash is computed while the package streams out, never over an in-memory copy, and on another core than
/// the one writing it.
/// </summary>
internal sealed class HashingBufferWriter(IBufferWriter<byte> inner) : IBufferWriter<byte>, IDisposable
{
    private readonly OffloadedSha256 _hash = new();
    private Memory<byte> _last;

    public bool Suspended { get; set; }

    public long Written { get; private set; }

    public void Advance(int count)
    {
        if (!Suspended) _hash.Append(_last.Span[..count]);
        Written += count;
        inner.Advance(count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => (_last = inner.GetMemory(sizeHint)).Span;

    public string FinishHex() => _hash.FinishHex();

    public void Dispose() => _hash.Dispose();
}
