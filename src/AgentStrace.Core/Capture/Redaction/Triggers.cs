namespace AgentStrace.Capture.Redaction;

/// <summary>
/// One pass over a text that tells which redaction rules can possibly match it, so the ~100 rules do not each scan
/// every text. A rule whose match contains a literal can only match a text holding every pair of adjacent characters
/// of that literal; the rule asks for two of them (the first and the last pair), and the table maps each ASCII pair to
/// a bit. The AWS secret shape has no literal: it needs a run of exactly 40 base64 characters, tracked in the same
/// pass. A trigger is a necessary condition, never a sufficient one: the rule itself still decides.
/// </summary>
internal sealed class Triggers
{
    private readonly byte[] _pairs = new byte[128 * 128];
    private int _count = 1;

    /// <summary>The bit set when a maximal run of exactly 40 base64 characters occurs (the AWS secret key shape).</summary>
    internal static TriggerSet Base64Run40 => TriggerSet.Of(0);

    /// <summary>The bits a text needs to contain <paramref name="literal"/> (ASCII pairs only; case-insensitive when asked).</summary>
    internal TriggerSet For(string literal, bool ignoreCase = false)
    {
        var set = new TriggerSet();
        if (literal.Length < 2) throw new ArgumentException("a trigger literal needs two characters", nameof(literal));
        set.Add(Pair(literal[0], literal[1], ignoreCase));
        set.Add(Pair(literal[^2], literal[^1], ignoreCase));
        return set;
    }

    private int Pair(char first, char second, bool ignoreCase)
    {
        if (first >= 128 || second >= 128) throw new ArgumentException("trigger literals are ASCII");
        int index = first << 7 | second;
        if (_pairs[index] == 0)
        {
            if (_count == 256) throw new InvalidOperationException("more than 255 trigger pairs");
            _pairs[index] = (byte)_count++;
        }
        byte bit = _pairs[index];
        if (ignoreCase)
        {
            foreach (char a in (ReadOnlySpan<char>)[char.ToLowerInvariant(first), char.ToUpperInvariant(first)])
            {
                foreach (char b in (ReadOnlySpan<char>)[char.ToLowerInvariant(second), char.ToUpperInvariant(second)])
                {
                    if (_pairs[a << 7 | b] != 0 && _pairs[a << 7 | b] != bit) throw new InvalidOperationException("a case-insensitive pair overlaps a case-sensitive one");
                    _pairs[a << 7 | b] = bit;
                }
            }
        }
        return bit;
    }

    /// <summary>The trigger bits present in <paramref name="s"/>.</summary>
    internal TriggerSet Scan(string s)
    {
        Span<ulong> found = stackalloc ulong[4];
        found.Clear();
        ReadOnlySpan<byte> pairs = _pairs;
        ReadOnlySpan<bool> base64 = s_base64;
        int run = 0;
        bool forty = false;
        int previous = 0;
        foreach (char text in s)
        {
            int c = text;
            if (c < 128)
            {
                // The mask keeps a non-ASCII previous char inside the table; its pair does not count.
                byte bit = pairs[(previous << 7 | c) & 0x3FFF];
                if (bit != 0 && previous < 128) found[bit >> 6] |= 1UL << bit;
                if (base64[c & 127])
                {
                    run++;
                    previous = c;
                    continue;
                }
            }
            else
            {
                // Case-insensitive phrases also match the two non-ASCII letters whose upper case is ASCII (ı → I, ſ → S).
                c = text == '\u0131' ? 'i' : text == '\u017F' ? 's' : c;
                if ((previous | c) < 128)
                {
                    byte bit = pairs[previous << 7 | c];
                    if (bit != 0) found[bit >> 6] |= 1UL << bit;
                }
            }
            forty |= run == 40;
            run = 0;
            previous = c;
        }
        var set = new TriggerSet(found);
        if (forty || run == 40) set.Add(0);
        return set;
    }

    // The characters of the AWS secret shape's run (base64 without padding).
    private static readonly bool[] s_base64 = Base64Table();

    private static bool[] Base64Table()
    {
        var table = new bool[128];
        for (int c = 0; c < 128; c++) table[c] = char.IsAsciiLetterOrDigit((char)c) || c is '/' or '+';
        return table;
    }
}

/// <summary>A set of trigger bits (0–255).</summary>
internal struct TriggerSet
{
    private ulong _a, _b, _c, _d;

    internal TriggerSet(ReadOnlySpan<ulong> words)
    {
        _a = words[0];
        _b = words[1];
        _c = words[2];
        _d = words[3];
    }

    /// <summary>The lowest bit in the set, or -1 when it is empty.</summary>
    internal readonly int LowestBit() =>
        _a != 0 ? System.Numerics.BitOperations.TrailingZeroCount(_a)
        : _b != 0 ? 64 + System.Numerics.BitOperations.TrailingZeroCount(_b)
        : _c != 0 ? 128 + System.Numerics.BitOperations.TrailingZeroCount(_c)
        : _d != 0 ? 192 + System.Numerics.BitOperations.TrailingZeroCount(_d) : -1;

    /// <summary>The bit after <paramref name="bit"/> in the set (from 0 when <paramref name="bit"/> is -1), or -1.</summary>
    internal readonly int NextBit(int bit)
    {
        for (int from = bit + 1; from < 256; from = (from | 63) + 1)
        {
            ulong word = ((from >> 6) switch { 0 => _a, 1 => _b, 2 => _c, _ => _d }) & (ulong.MaxValue << (from & 63));
            if (word != 0) return (from & ~63) + System.Numerics.BitOperations.TrailingZeroCount(word);
        }
        return -1;
    }

    internal static TriggerSet Of(int bit)
    {
        var set = new TriggerSet();
        set.Add(bit);
        return set;
    }

    internal void Add(int bit)
    {
        ulong mask = 1UL << (bit & 63);
        switch (bit >> 6)
        {
            case 0: _a |= mask; break;
            case 1: _b |= mask; break;
            case 2: _c |= mask; break;
            default: _d |= mask; break;
        }
    }

    /// <summary>True when every bit of <paramref name="needed"/> is in this set.</summary>
    internal readonly bool Covers(in TriggerSet needed) =>
        (needed._a & ~_a) == 0 && (needed._b & ~_b) == 0 && (needed._c & ~_c) == 0 && (needed._d & ~_d) == 0;
}
