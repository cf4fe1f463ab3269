using System.Buffers;
using System.Text;

namespace AgentStrace.Output;

/// <summary>Small text helpers for human-readable output.</summary>
public static class Text
{
    public static void Write(IBufferWriter<byte> output, string s) => Encoding.UTF8.GetBytes(s, output);

    public static void Line(IBufferWriter<byte> output, string s)
    {
        Encoding.UTF8.GetBytes(s, output);
        output.Write("\n"u8);
    }

    /// <summary>Truncates to <paramref name="max"/> chars with an ellipsis, on one line.</summary>
    public static string Clip(string s, int max)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= max ? s : string.Concat(s.AsSpan(0, Math.Max(0, max - 1)), "…");
    }

    /// <summary>A diagnostic line as the CLI prints it: prefixed with <c>agent-strace: </c> unless it already names the tool.</summary>
    public static string Diagnostic(string message) =>
        message.StartsWith("agent-strace", StringComparison.Ordinal) ? message : "agent-strace: " + message;

    /// <summary>Writes <see cref="Diagnostic"/> of the message to stderr (stdout carries data).</summary>
    public static void Warn(string message) => Console.Error.WriteLine(Diagnostic(message));

    /// <summary>
    /// Whitespace collapsed, control characters, terminal escape sequences (CSI, OSC, and the rest) and bidirectional
    /// overrides dropped, cut to <paramref name="max"/> chars: a server's text fit for one stderr line.
    /// </summary>
    public static string OneLine(string text, int max)
    {
        var sb = new StringBuilder(Math.Min(text.Length, max + 1));
        bool space = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '\u001b' or '\u009b' or '\u009d')
            {
                i = EndOfEscape(text, i);
                continue;
            }
            if (c is (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069')) continue; // bidi overrides
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
            if (sb.Length >= max)
            {
                sb.Append('…');
                break;
            }
        }
        return sb.ToString();
    }

    // ESC [ … final (CSI), ESC ] … BEL or ESC \ (OSC), ESC P/X/^/_ … ESC \ (strings), else ESC and one char.
    private static int EndOfEscape(string text, int i)
    {
        char kind = text[i] switch { '\u009b' => '[', '\u009d' => ']', _ => i + 1 < text.Length ? text[++i] : '\0' };
        if (kind == '[')
        {
            while (++i < text.Length && text[i] is < '@' or > '~') { }
            return i;
        }
        if (kind is ']' or 'P' or 'X' or '^' or '_')
        {
            while (++i < text.Length)
            {
                if (text[i] is '\u0007' or '\u009c') return i;
                if (text[i] == '\u001b' && i + 1 < text.Length && text[i + 1] == '\\') return i + 1;
            }
        }
        return i;
    }

    public static string UtcTime(double unixSeconds) =>
        Model.Clock.ToUtc(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
