using System.Security.Cryptography;

namespace AgentStrace.Compliance.Internal;

/// <summary>SHA-256 computed on another core (<see cref="ChunkPipe"/>) while the caller writes or reads the package.</summary>
internal sealed class OffloadedSha256 : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ChunkPipe _pipe;

    public OffloadedSha256() => _pipe = new ChunkPipe((chunk, count) => _hash.AppendData(chunk, 0, count));

    public void Append(ReadOnlySpan<byte> bytes) => _pipe.Append(bytes);

    /// <summary>The hash of everything appended (then starts over, like <see cref="IncrementalHash.GetHashAndReset()"/>).</summary>
    public string FinishHex()
    {
        _pipe.Drain();
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public void Dispose()
    {
        _pipe.Dispose(); // first: nothing may be hashing when the hash is freed
        _hash.Dispose();
    }
}
