namespace AgentStrace.Capture.Import.Gemini;

/// <summary>
/// Where messages sit in a chat file, in order, kept in flat arrays (about 20 bytes a message) with a map from each
/// id's 64-bit hash to its position: a chat of 70,000 small replies must not hold 140,000 objects and id strings.
/// </summary>
/// <remarks>
/// Ids are told apart by a 64-bit FNV-1a hash of their text: two different ids of one chat colliding is about one
/// chance in 10^9 for a million messages. A position removed from the end (a rewind) is not taken out of the map: an
/// entry counts only while the message at its position still has its hash.
/// </remarks>
public sealed class GeminiMessageList : IReadOnlyList<GeminiMessage>
{
    private const long ModelBit = 1L << 62;
    private long[] _offsets = new long[16]; // with ModelBit when the message names a model
    private int[] _lengths = new int[16];
    private ulong[] _ids = new ulong[16];
    private readonly HashPositions _positions = new();

    public int Count { get; private set; }

    public GeminiMessage this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            long o = _offsets[index];
            return new GeminiMessage(o & ~ModelBit, _lengths[index], (o & ModelBit) != 0);
        }
    }

    internal ulong IdAt(int index) => _ids[index];

    /// <summary>The position of the message with this id hash (0: no id), else -1.</summary>
    public int IndexOf(ulong id)
    {
        if (id == 0) return -1;
        int at = _positions.Get(id);
        return at >= 0 && at < Count && _ids[at] == id ? at : -1;
    }

    /// <summary>Replaces the message with this id where it is, else appends it.</summary>
    public void Upsert(ulong id, long offset, int length, bool hasModel)
    {
        int i = IndexOf(id);
        if (i < 0)
        {
            if (Count == _offsets.Length)
            {
                Array.Resize(ref _offsets, Count * 2);
                Array.Resize(ref _lengths, Count * 2);
                Array.Resize(ref _ids, Count * 2);
            }
            i = Count++;
            _ids[i] = id;
            if (id != 0) _positions.Set(id, i);
        }
        _offsets[i] = offset | (hasModel ? ModelBit : 0);
        _lengths[i] = length;
    }

    /// <summary>Removes the messages from <paramref name="at"/> on.</summary>
    public void Truncate(int at)
    {
        Count = at;
        if (at == 0) _positions.Clear();
    }

    public IEnumerator<GeminiMessage> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>FNV-1a over the UTF-16 code units; never 0 for a non-empty id (0 means "no id").</summary>
    public static ulong Hash(string id)
    {
        if (id.Length == 0) return 0;
        ulong h = 14695981039346656037UL;
        foreach (char c in id) h = (h ^ c) * 1099511628211UL;
        return h == 0 ? 1 : h;
    }
}

/// <summary>Every gemini message with tokens ever written: its last write per id, in the order first spent.</summary>
public sealed class SpentMessages : IEnumerable<GeminiMessage>
{
    private readonly GeminiMessageList _list = new();

    public int Count => _list.Count;

    public GeminiMessage this[string id] => TryGetValue(id, out GeminiMessage? at) ? at : throw new KeyNotFoundException(id);

    public bool TryGetValue(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GeminiMessage? at)
    {
        int i = _list.IndexOf(GeminiMessageList.Hash(id));
        at = i >= 0 ? _list[i] : null;
        return i >= 0;
    }

    /// <summary>The id hash of the <paramref name="index"/>th spent message.</summary>
    internal (GeminiMessage At, ulong Id) At(int index) => (_list[index], _list.IdAt(index));

    internal void Set(ulong id, long offset, int length, bool hasModel) => _list.Upsert(id, offset, length, hasModel);

    public IEnumerator<GeminiMessage> GetEnumerator() => _list.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>64-bit keys (never 0) to positions, in one open-addressing array; keys are never removed, only cleared together.</summary>
internal sealed class HashPositions
{
    private ulong[] _keys = new ulong[32];
    private int[] _values = new int[32];
    private int _count;

    public int Get(ulong key)
    {
        int mask = _keys.Length - 1;
        for (int i = Slot(key, mask); _keys[i] != 0; i = (i + 1) & mask)
        {
            if (_keys[i] == key) return _values[i];
        }
        return -1;
    }

    public void Set(ulong key, int value)
    {
        if ((_count + 1) * 4 > _keys.Length * 3) Grow();
        if (Put(_keys, _values, key, value)) _count++;
    }

    public void Clear()
    {
        Array.Clear(_keys);
        _count = 0;
    }

    private static bool Put(ulong[] keys, int[] values, ulong key, int value)
    {
        int mask = keys.Length - 1;
        int i = Slot(key, mask);
        for (; keys[i] != 0; i = (i + 1) & mask)
        {
            if (keys[i] != key) continue;
            values[i] = value;
            return false;
        }
        keys[i] = key;
        values[i] = value;
        return true;
    }

    private void Grow()
    {
        ulong[] keys = _keys;
        int[] values = _values;
        _keys = new ulong[keys.Length * 2];
        _values = new int[keys.Length * 2];
        for (int i = 0; i < keys.Length; i++) if (keys[i] != 0) Put(_keys, _values, keys[i], values[i]);
    }

    // Fibonacci hashing, as NumberSet.
    private static int Slot(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;
}
