namespace AgentStrace.Capture.Import;

/// <summary>
/// A set of 64-bit numbers in one open-addressing array (no generic collection over a value type: each would add its
/// own compiled copy to the binary). Holds hundreds of thousands of event ids in a few MiB.
/// </summary>
public sealed class NumberSet
{
    private ulong[] _slots = new ulong[64];
    private int _count;
    private bool _hasZero;

    /// <summary>Adds the number; false when it was there already.</summary>
    public bool Add(ulong n)
    {
        if (n == 0)
        {
            if (_hasZero) return false;
            return _hasZero = true;
        }
        if ((_count + 1) * 4 > _slots.Length * 3) Grow();
        if (!Insert(_slots, n)) return false;
        _count++;
        return true;
    }

    public bool Contains(ulong n)
    {
        if (n == 0) return _hasZero;
        int mask = _slots.Length - 1;
        for (int i = Slot(n, mask); _slots[i] != 0; i = (i + 1) & mask)
        {
            if (_slots[i] == n) return true;
        }
        return false;
    }

    /// <summary>Adds every number in the set to <paramref name="table"/> (they must be below 2⁴⁸).</summary>
    public void CopyTo(IdTable table)
    {
        if (_hasZero) table.Add(0);
        foreach (ulong n in _slots) if (n != 0) table.Add(n);
    }

    private static bool Insert(ulong[] slots, ulong n)
    {
        int mask = slots.Length - 1;
        int i = Slot(n, mask);
        for (; slots[i] != 0; i = (i + 1) & mask)
        {
            if (slots[i] == n) return false;
        }
        slots[i] = n;
        return true;
    }

    private void Grow()
    {
        ulong[] old = _slots;
        _slots = new ulong[old.Length * 2];
        foreach (ulong n in old) if (n != 0) Insert(_slots, n);
    }

    // Fibonacci hashing: spreads ids that share their low bits.
    private static int Slot(ulong n, int mask) => (int)((n * 0x9E3779B97F4A7C15UL) >> 32) & mask;
}
