using System.Buffers;

namespace AgentStrace.Json;

/// <summary>
/// A buffer writer that only counts: every write lands in one scratch buffer per thread, reused, so measuring the
/// length of a serialization (upstream's <c>len(json.dumps(data))</c> estimates) allocates nothing per call.
/// </summary>
public sealed class CountingBufferWriter : IBufferWriter<byte>
{
    [ThreadStatic] private static byte[]? t_scratch;

    private byte[] _scratch;

    public CountingBufferWriter() => _scratch = t_scratch ??= new byte[4096];

    public long Count { get; private set; }

    /// <summary>When set, the written bytes are searched for these words (ASCII, lowercase, case-insensitively) as
    /// they pass; <see cref="Found"/> tells which were seen. A word split across two writes is found too.</summary>
    public byte[][]? Words { get; init; }

    private ulong _found;
    private readonly byte[] _tail = new byte[15];
    private int _tailLength;

    /// <summary>Whether word <paramref name="index"/> of <see cref="Words"/> was written.</summary>
    public bool Found(int index) => (_found & (1UL << index)) != 0;

    public void Advance(int count)
    {
        if (Words is { } words) Search(_scratch.AsSpan(0, count), words);
        Count += count;
    }

    private void Search(ReadOnlySpan<byte> written, byte[][] words)
    {
        // The last bytes of what came before are searched joined with the start of this write, so a word (at most
        // 16 bytes) split across two writes is found too.
        Span<byte> joined = stackalloc byte[32];
        int head = Math.Min(written.Length, 15);
        _tail.AsSpan(0, _tailLength).CopyTo(joined);
        written[..head].CopyTo(joined[_tailLength..]);
        joined = joined[..(_tailLength + head)];
        for (int w = 0; w < words.Length; w++)
        {
            if (!Found(w) && (ContainsIgnoreCase(joined, words[w]) || ContainsIgnoreCase(written, words[w]))) _found |= 1UL << w;
        }
        if (written.Length >= 15)
        {
            written[^15..].CopyTo(_tail);
            _tailLength = 15;
            return;
        }
        int keep = Math.Min(_tailLength, 15 - written.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        written.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + written.Length;
    }

    /// <summary>ASCII case-insensitive search for a lowercase word.</summary>
    public static bool ContainsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lower)
    {
        byte first = lower[0], upper = (byte)(first - 32);
        int i = 0;
        while (i <= text.Length - lower.Length)
        {
            int at = text[i..].IndexOfAny(first, upper);
            if (at < 0 || i + at > text.Length - lower.Length) return false;
            i += at;
            if (System.Text.Ascii.EqualsIgnoreCase(text.Slice(i, lower.Length), lower)) return true;
            i++;
        }
        return false;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

    private byte[] Scratch(int sizeHint)
    {
        if (sizeHint > _scratch.Length)
        {
            // Kept for the thread's next count only while modest: one huge string should not pin its worst case.
            _scratch = new byte[Math.Max(sizeHint, _scratch.Length * 2)];
            if (_scratch.Length <= 1 << 20) t_scratch = _scratch;
        }
        return _scratch;
    }
}
