using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace AgentStrace.Capture.Import;

/// <summary>
/// Numbers the distinct strings it is given (0, 1, 2, ...) while keeping only a 64-bit hash of each (XxHash3), in one
/// open-addressing table: a streamed import meets hundreds of thousands of message and tool ids, and a string each
/// would cost several times the hash. Two of a million ids collide with a probability of about 3·10⁻⁸ (the store's own
/// event ids are 48 bits).
/// </summary>
public sealed class KeyIndex
{
    private ulong[] _hashes = new ulong[64];
    private int[] _numbers = new int[64]; // number + 1; 0 = empty slot

    public int Count { get; private set; }

    /// <summary>The key's number; <paramref name="added"/>: it is new (its number is <see cref="Count"/> - 1).</summary>
    public int Add(string key, out bool added)
    {
        int i = Slot(key, out ulong hash);
        added = _numbers[i] == 0;
        if (!added) return _numbers[i] - 1;
        _hashes[i] = hash;
        _numbers[i] = ++Count;
        if (Count * 4 > _numbers.Length * 3) Grow();
        return Count - 1;
    }

    /// <summary>The key's number, or -1.</summary>
    public int Find(string key) => _numbers[Slot(key, out _)] - 1;

    // The key's slot, or the empty slot where it would go.
    private int Slot(string key, out ulong hash)
    {
        hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));
        int mask = _numbers.Length - 1;
        int i = (int)(hash >> 33) & mask;
        while (_numbers[i] != 0 && _hashes[i] != hash) i = (i + 1) & mask;
        return i;
    }

    private void Grow()
    {
        ulong[] hashes = _hashes;
        int[] numbers = _numbers;
        _hashes = new ulong[numbers.Length * 2];
        _numbers = new int[numbers.Length * 2];
        int mask = _numbers.Length - 1;
        for (int j = 0; j < numbers.Length; j++)
        {
            if (numbers[j] == 0) continue;
            int i = (int)(hashes[j] >> 33) & mask;
            while (_numbers[i] != 0) i = (i + 1) & mask;
            _hashes[i] = hashes[j];
            _numbers[i] = numbers[j];
        }
    }
}
