using System.Text;

namespace AgentStrace.Spans;

/// <summary>Python string slicing semantics (<c>s[:n]</c> counts code points, not UTF-16 units).</summary>
public static class PyText
{
    public static string Head(string s, int codePoints)
    {
        if (s.Length <= codePoints) return s;
        int units = 0, seen = 0;
        while (units < s.Length && seen < codePoints)
        {
            units += char.IsHighSurrogate(s[units]) && units + 1 < s.Length && char.IsLowSurrogate(s[units + 1]) ? 2 : 1;
            seen++;
        }
        return units >= s.Length ? s : s[..units];
    }

    /// <summary><c>s[:n] + "..."</c> when longer than n code points.</summary>
    public static string Ellipsize(string s, int codePoints)
    {
        string head = Head(s, codePoints);
        return head.Length < s.Length ? head + "..." : s;
    }

    public static int CodePointLength(string s)
    {
        int n = 0;
        foreach (Rune _ in s.EnumerateRunes()) n++;
        return n;
    }
}
