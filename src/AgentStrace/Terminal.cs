using System.Text;
using AgentStrace.Errors;
using AgentStrace.Output;
using AgentStrace.View;

namespace AgentStrace.Cli;

/// <summary>
/// The terminal as the CLI uses it: its width, whether to colour, and standard streams that leave its modes alone.
/// </summary>
internal static class Terminal
{
    /// <summary>
    /// On Unix, .NET's console streams initialise the terminal on their first write and switch it to application
    /// cursor/keypad mode (<c>ESC[?1h ESC=</c>) without switching back at exit, which changes the user's terminal after
    /// any command. Plain file streams over descriptors 1 and 2 write the same bytes without that.
    /// </summary>
    public static void UseRawStandardStreams()
    {
        if (OperatingSystem.IsWindows()) return;
        Console.SetOut(Writer(1));
        Console.SetError(Writer(2));
    }

    private static StreamWriter Writer(int fd) =>
        new(StreamBufferWriter.StandardStream(fd), new UTF8Encoding(false), 4096) { AutoFlush = true };

    /// <summary>Columns to fit: <c>--width</c>, else the terminal's, else <c>$COLUMNS</c>, else 120 (output to a file or pipe).</summary>
    public static int Width(int? flag)
    {
        if (flag is int w)
        {
            if (w < 40 || w > 1000) throw new AgentStraceException($"--width {w} is out of range: use 40 to 1000 columns.");
            return w;
        }
        if (!Console.IsOutputRedirected && TerminalColumns() is int columns and >= 20) return Math.Max(40, columns);
        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int c) && c >= 20 ? Math.Clamp(c, 40, 1000) : 120;
    }

    /// <summary><c>--color auto|always|never</c>: auto colours a terminal unless <c>NO_COLOR</c> is set or <c>TERM=dumb</c>.</summary>
    public static bool Colour(ColorMode mode) => mode switch
    {
        ColorMode.Always => true,
        ColorMode.Never => false,
        _ => !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && Environment.GetEnvironmentVariable("TERM") != "dumb",
    };

    public static Style Style(int? width, ColorMode color) => new(Width(width), Colour(color));

    private static int? TerminalColumns() => TerminalSize.Columns(1);
}
