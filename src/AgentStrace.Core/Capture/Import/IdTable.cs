namespace AgentStrace.Capture.Import;

/// <summary>
/// A set of 48-bit numbers (event ids) split into 65,536 small open-addressing tables by their top 16 bits, each
/// holding the low 32 bits: 4 bytes a slot instead of 8, filled up to 7/8 (a table holds a few dozen ids, so probes stay
/// short), and each table grows on its own, so adding the millionth id
/// never copies the whole set (a single table doubling from 16 to 32 MiB would need both at once).
/// </summary>
public sealed class IdTable
{
    private readonly uint[]?[] _tables = new uint[]?[1 << 16];
    private readonly int[] _counts = new int[1 << 16];
    private readonly NumberSet _zeros = new(); // ids whose low 32 bits are 0 (0 marks an empty slot)

    /// <summary>Adds the id (below 2⁴⁸); false when it was there already.</summary>
    public bool Add(ulong id)
    {
        uint low = (uint)id;
        if (low == 0) return _zeros.Add(id);
        int t = (int)(id >> 32) & 0xFFFF;
        uint[] table = _tables[t] ??= new uint[8];
        if (!Insert(table, low)) return false;
        if (++_counts[t] * 8 > table.Length * 7)
        {
            uint[] grown = new uint[table.Length * 2];
            foreach (uint n in table) if (n != 0) Insert(grown, n);
            _tables[t] = grown;
        }
        return true;
    }

    private static bool Insert(uint[] table, uint n)
    {
        int mask = table.Length - 1;
        int i = (int)((n * 0x9E3779B9u) >> 8) & mask;
        for (; table[i] != 0; i = (i + 1) & mask)
        {
            if (table[i] == n) return false;
        }
        table[i] = n;
        return true;
    }
}
