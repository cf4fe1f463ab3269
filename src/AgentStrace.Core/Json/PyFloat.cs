using System.Globalization;

namespace AgentStrace.Json;

/// <summary>
/// Formats a double exactly as CPython's <c>float.__repr__</c> (and so <c>json.dumps</c>) does:
/// shortest round-trip digits, fixed notation for decimal exponents in (-4, 16], else <c>1e-05</c> style.
/// </summary>
public static class PyFloat
{
    /// <summary>Python's correctly rounded <c>round(x, n)</c> via the exact decimal expansion .NET formats.</summary>
    public static double Round(double x, int digits) =>
        double.Parse(x.ToString("F" + digits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Format(double value)
    {
        Span<char> buffer = stackalloc char[40];
        return new string(buffer[..Format(value, buffer)]);
    }

    /// <summary>Writes the repr into <paramref name="dest"/> (at least 32 chars) and returns the length.</summary>
    public static int Format(double value, Span<char> dest) =>
        TryFormatMillis(value, dest, out int length) ? length : FormatRepr(value, dest);

    /// <summary>
    /// A value with at most three decimals (a timestamp in milliseconds, most of what a store holds), written from its
    /// integer count of thousandths. Below 10^12 a double is spaced far finer than 0.001, so that decimal is the only
    /// one of its length or shorter that reads back as the value: the repr's shortest digits, without formatting the
    /// value and reworking the text. Anything else (and zero, for its sign) goes the general way.
    /// </summary>
    private static bool TryFormatMillis(double value, Span<char> dest, out int length)
    {
        length = 0;
        double abs = Math.Abs(value);
        if (!(abs >= 0.001 && abs < 1e12)) return false;
        long thousandths = (long)Math.Round(abs * 1000);
        if (thousandths / 1000.0 != abs) return false;
        int pos = 0;
        if (value < 0) dest[pos++] = '-';
        (thousandths / 1000).TryFormat(dest[pos..], out int written, default, CultureInfo.InvariantCulture);
        pos += written;
        dest[pos++] = '.';
        int fraction = (int)(thousandths % 1000);
        if (fraction == 0)
        {
            dest[pos++] = '0';
        }
        else
        {
            dest[pos++] = (char)('0' + fraction / 100);
            if (fraction % 100 != 0)
            {
                dest[pos++] = (char)('0' + fraction / 10 % 10);
                if (fraction % 10 != 0) dest[pos++] = (char)('0' + fraction % 10);
            }
        }
        length = pos;
        return true;
    }

    /// <summary>The general repr, from the shortest round-trip digits .NET gives.</summary>
    internal static int FormatRepr(double value, Span<char> dest)
    {
        if (double.IsNaN(value)) return Copy("NaN", dest);
        if (double.IsPositiveInfinity(value)) return Copy("Infinity", dest);
        if (double.IsNegativeInfinity(value)) return Copy("-Infinity", dest);

        Span<char> raw = stackalloc char[40];
        value.TryFormat(raw, out int rawLength, "R", CultureInfo.InvariantCulture);
        ReadOnlySpan<char> r = raw[..rawLength];
        int pos = 0;
        if (r[0] == '-') { dest[pos++] = '-'; r = r[1..]; }

        // Decompose into significant digits and the decimal point position (value = 0.DIGITS * 10^decpt).
        Span<char> digits = stackalloc char[24];
        int n = 0, decpt;
        int e = r.IndexOfAny('E', 'e');
        ReadOnlySpan<char> mantissa = e >= 0 ? r[..e] : r;
        int exponent = e >= 0 ? int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        int dot = mantissa.IndexOf('.');
        int intLength = dot >= 0 ? dot : mantissa.Length;
        foreach (char c in mantissa)
        {
            if (c != '.') digits[n++] = c;
        }
        decpt = intLength + exponent;
        int lead = 0;
        while (lead < n - 1 && digits[lead] == '0') { lead++; decpt--; }
        ReadOnlySpan<char> d = digits[lead..n];
        int len = d.Length;
        while (len > 1 && d[len - 1] == '0') len--;
        d = d[..len];
        if (d.Length == 1 && d[0] == '0') return pos + Copy("0.0", dest[pos..]);

        if (decpt <= -4 || decpt > 16)
        {
            dest[pos++] = d[0];
            if (d.Length > 1) { dest[pos++] = '.'; d[1..].CopyTo(dest[pos..]); pos += d.Length - 1; }
            int exp = decpt - 1;
            dest[pos++] = 'e';
            dest[pos++] = exp < 0 ? '-' : '+';
            exp = Math.Abs(exp);
            if (exp < 10) dest[pos++] = '0';
            exp.TryFormat(dest[pos..], out int w, default, CultureInfo.InvariantCulture);
            return pos + w;
        }
        if (decpt <= 0)
        {
            dest[pos++] = '0'; dest[pos++] = '.';
            for (int i = 0; i < -decpt; i++) dest[pos++] = '0';
            d.CopyTo(dest[pos..]);
            return pos + d.Length;
        }
        if (decpt >= d.Length)
        {
            d.CopyTo(dest[pos..]); pos += d.Length;
            for (int i = d.Length; i < decpt; i++) dest[pos++] = '0';
            dest[pos++] = '.'; dest[pos++] = '0';
            return pos;
        }
        d[..decpt].CopyTo(dest[pos..]); pos += decpt;
        dest[pos++] = '.';
        d[decpt..].CopyTo(dest[pos..]);
        return pos + d.Length - decpt;
    }

    private static int Copy(string s, Span<char> dest)
    {
        s.AsSpan().CopyTo(dest);
        return s.Length;
    }
}
