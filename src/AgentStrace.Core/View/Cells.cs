using System.Text;

namespace AgentStrace.View;

/// <summary>
/// Terminal cell arithmetic: how many columns a string takes (wide East Asian characters and emoji take two, combining
/// marks none) and cutting or padding to an exact number of columns, so a line never wraps in the middle of a column.
/// </summary>
public static class Cells
{
    public static int Width(string s)
    {
        int w = 0;
        for (int i = 0; i < s.Length; i++)
        {
            int cp = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) cp = char.ConvertToUtf32(s[i], s[++i]);
            w += Of(cp);
        }
        return w;
    }

    /// <summary>At most <paramref name="width"/> columns; a cut string ends with <c>…</c>.</summary>
    public static string Fit(string s, int width)
    {
        if (width <= 0) return "";
        if (Width(s) <= width) return s;
        var sb = new StringBuilder(width + 1);
        int w = 0;
        for (int i = 0; i < s.Length; i++)
        {
            int start = i;
            int cp = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) cp = char.ConvertToUtf32(s[i], s[++i]);
            int cw = Of(cp);
            if (w + cw > width - 1) break;
            sb.Append(s, start, i - start + 1);
            w += cw;
        }
        return sb.Append('…').ToString();
    }

    /// <summary>Exactly <paramref name="width"/> columns: cut, then padded with spaces on the right.</summary>
    public static string PadRight(string s, int width)
    {
        s = Fit(s, width);
        int w = Width(s);
        return w >= width ? s : s + new string(' ', width - w);
    }

    /// <summary>Exactly <paramref name="width"/> columns: cut, then padded with spaces on the left.</summary>
    public static string PadLeft(string s, int width)
    {
        s = Fit(s, width);
        int w = Width(s);
        return w >= width ? s : new string(' ', width - w) + s;
    }

    private static int Of(int cp)
    {
        if (cp is (>= 0x0300 and <= 0x036F) or (>= 0x200B and <= 0x200F) or 0xFE0F or (>= 0x1AB0 and <= 0x1AFF) or (>= 0x20D0 and <= 0x20FF)) return 0;
        if (cp is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF) or (>= 0x3400 and <= 0x4DBF)
            or (>= 0x4E00 and <= 0x9FFF) or (>= 0xA000 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F)
            or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD)) return 2;
        return 1;
    }
}
