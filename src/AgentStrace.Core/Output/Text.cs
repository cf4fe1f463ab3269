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

    public static string UtcTime(double unixSeconds) =>
        Model.Clock.ToUtc(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
