using AgentStrace.Model;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>Timestamps of agent files, read without a general date parser for the shape the agents write.</summary>
public static class IsoTime
{
    /// <summary>
    /// "2026-04-20T10:00:00.123Z" (milliseconds, UTC: how Codex and Gemini CLI write every line) read digit by digit;
    /// any other text goes to <see cref="TranscriptReader.ParseTime"/>, which gives the same value for this shape.
    /// </summary>
    public static double Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 24 && utf8[4] == '-' && utf8[7] == '-' && utf8[10] == 'T' && utf8[13] == ':' && utf8[16] == ':'
            && utf8[19] == '.' && utf8[23] == 'Z'
            && Digits(utf8, 0, 4, out int year) && Digits(utf8, 5, 2, out int month) && Digits(utf8, 8, 2, out int day)
            && Digits(utf8, 11, 2, out int hour) && Digits(utf8, 14, 2, out int minute) && Digits(utf8, 17, 2, out int second)
            && Digits(utf8, 20, 3, out int ms) && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour < 24 && minute < 60 && second < 60)
        {
            return Clock.FromUtc(new DateTime(year, month, day, hour, minute, second, ms, DateTimeKind.Utc));
        }
        return utf8.IsEmpty ? 0 : TranscriptReader.ParseTime(System.Text.Encoding.UTF8.GetString(utf8));
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }
}
