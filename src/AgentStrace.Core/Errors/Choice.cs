namespace AgentStrace.Errors;

/// <summary>
/// A value that is one of a few words (<c>--format</c>, <c>--protocol</c>, <c>OTEL_EXPORTER_OTLP_COMPRESSION</c>, …),
/// read once where it enters (flag, environment variable, configuration key) into an enum, so the code behind sees the
/// enum and never compares strings. A word that is not one of them is a usage error (exit 2) that lists the choices
/// and names the nearest one.
/// </summary>
/// <remarks>Words and values are parallel arrays and the matching is not generic: every generic instantiation over an
/// enum (tuples, LINQ, comparers) costs the native binary kilobytes.</remarks>
/// <param name="flag">The flag the word is given with; the errors name it.</param>
/// <param name="shown">How many of <paramref name="words"/> the error lists; the rest are accepted old spellings.</param>
/// <param name="ignoreCase">Accept any case and surrounding blanks (values whose upstream spelling did).</param>
public sealed class Choice<T>(string flag, string[] words, T[] values, int shown = int.MaxValue, bool ignoreCase = false) where T : struct, Enum
{
    /// <summary>The words a user can paste (old spellings left out).</summary>
    public string[] Words { get; } = shown < words.Length ? words[..shown] : words;

    /// <summary>The value of <paramref name="word"/> given with the flag; <paramref name="command"/> names the command in the error.</summary>
    public T Parse(string word, string? command = null) => values[ChoiceWords.IndexOf(words, word, ignoreCase)
        ?? throw ChoiceWords.Unknown($"Unknown {flag} '{word}'{(command is null ? "" : " for " + command)}", Words, word, ignoreCase)];

    /// <summary>The value of a word given elsewhere (<paramref name="source"/>: an environment variable, a configuration key).</summary>
    public T ParseFrom(string source, string word) => values[ChoiceWords.IndexOf(words, word, ignoreCase)
        ?? throw ChoiceWords.Unknown($"Invalid {source} '{word}'", Words, word, ignoreCase)];

    /// <summary>Null when the flag was not given (or given empty), else <see cref="Parse"/>.</summary>
    public T? ParseOrNull(string? word, string? command = null) => string.IsNullOrEmpty(word) ? null : Parse(word, command);
}

/// <summary>Matching a word against a choice's words, and "did you mean" for a typo.</summary>
public static class ChoiceWords
{
    internal static int? IndexOf(string[] words, string word, bool ignoreCase)
    {
        int i = Array.IndexOf(words, ignoreCase ? word.Trim().ToLowerInvariant() : word);
        return i >= 0 ? i : null;
    }

    internal static AgentStraceException Unknown(string what, string[] listed, string word, bool ignoreCase)
    {
        string near = Nearest(ignoreCase ? word.Trim().ToLowerInvariant() : word, listed) is string n ? $" Did you mean '{n}'?" : "";
        return new AgentStraceException($"{what}: use {List(listed)}.{near}");
    }

    /// <summary>Choices as the errors word them: "a or b", "a, b or c", and "one of a, b, c, d" for more.</summary>
    private static string List(string[] w) => w.Length switch
    {
        1 => w[0],
        <= 3 => string.Join(", ", w[..^1]) + " or " + w[^1],
        _ => "one of " + string.Join(", ", w),
    };

    /// <summary>The known word nearest to <paramref name="typed"/> if it is close enough to be a typo, else null.</summary>
    public static string? Nearest(string typed, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string k in known)
        {
            int d = Distance(typed, k);
            if (k.StartsWith(typed, StringComparison.Ordinal) && typed.Length >= 3) d = Math.Min(d, 1);
            if (d < bestDistance) { best = k; bestDistance = d; }
        }
        // Close enough to be a typo: at most 2 edits, and fewer than half the word.
        int limit = Math.Min(2, Math.Max(1, typed.Length / 2));
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Optimal string alignment distance (a swap of two letters counts as one edit).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
