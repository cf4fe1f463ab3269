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
        var found = new TriggerSet();
        byte[] pairs = _pairs;
        int run = 0;
        char previous = '\0';
        foreach (char text in s)
        {
            // Case-insensitive phrases also match the two non-ASCII letters whose upper case is ASCII (ı → I, ſ → S).
            char c = text < 128 ? text : text == '\u0131' ? 'i' : text == '\u017F' ? 's' : text;
            if ((previous | c) < 128)
            {
                byte bit = pairs[previous << 7 | c];
                if (bit != 0) found.Add(bit);
            }
            if (char.IsAsciiLetterOrDigit(text) || text is '/' or '+')
            {
                run++;
            }
            else
            {
                if (run == 40) found.Add(0);
                run = 0;
            }
            previous = c;
        }
        if (run == 40) found.Add(0);
        return found;
    }
}

/// <summary>A set of trigger bits (0–255).</summary>
internal struct TriggerSet
{
    private ulong _a, _b, _c, _d;

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
