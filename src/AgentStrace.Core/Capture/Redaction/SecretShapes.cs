using System.Text;

namespace AgentStrace.Capture.Redaction;

/// <summary>
/// Upstream's secret patterns that start with a fixed literal, matched by hand with exactly the regex semantics
/// (leftmost match, greedy runs, non-overlapping replacement). Source-generated regexes find such literals through
/// <c>SearchValues&lt;string&gt;</c>, which drags ~80 KB of multi-string search code into the binary; these shapes need
/// only <see cref="string.IndexOf(string, int, StringComparison)"/>. The regex each one replaces is quoted above it;
/// RedactorEquivalenceTests checks them against the regexes on generated input.
/// </summary>
internal static class SecretShapes
{
    /// <summary>Returns the length of the match starting at <c>start</c> (where the literal was found), or -1.</summary>
    private delegate int Tail(string s, int start);

    private static readonly string[] s_keyKinds = ["RSA ", "EC ", "DSA ", "OPENSSH ", ""];
    private static readonly string[] s_dbSchemes = ["postgres", "mysql", "mongodb", "redis", "amqp"];

    // -----BEGIN (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----
    internal static string PrivateKey(string s) => Replace(s, "-----BEGIN ", static (s, i) =>
    {
        int body = KeyLabel(s, i + "-----BEGIN ".Length);
        if (body < 0) return -1;
        for (int end = s.IndexOf("-----END ", body, StringComparison.Ordinal); end >= 0; end = s.IndexOf("-----END ", end + 1, StringComparison.Ordinal))
        {
            int after = KeyLabel(s, end + "-----END ".Length);
            if (after >= 0) return after - i;
        }
        return -1;
    }, "[REDACTED:private-key]");

    // sk-ant-[a-zA-Z0-9\-]{20,}
    internal static string AnthropicKey(string s) => Run(s, "sk-ant-", AlnumDash, 20, "[REDACTED:anthropic-key]");

    // sk-[a-zA-Z0-9]{20,}
    internal static string OpenAiKey(string s) => Run(s, "sk-", Alnum, 20, "[REDACTED:openai-key]");

    // gh[ps]_[a-zA-Z0-9]{36,}
    internal static string GitHubToken(string s) => Replace(s, "gh", static (s, i) =>
        i + 3 < s.Length && (s[i + 2] == 'p' || s[i + 2] == 's') && s[i + 3] == '_' ? RunLength(s, i, 4, Alnum, 36) : -1,
        "[REDACTED:github-token]");

    // github_pat_[a-zA-Z0-9_]{22,}
    internal static string GitHubPat(string s) => Run(s, "github_pat_", static c => Alnum(c) || c == '_', 22, "[REDACTED:github-token]");

    // xox[bpras]-[a-zA-Z0-9\-]{10,}
    internal static string SlackToken(string s) => Replace(s, "xox", static (s, i) =>
        i + 4 < s.Length && "bpras".Contains(s[i + 3]) && s[i + 4] == '-' ? RunLength(s, i, 5, AlnumDash, 10) : -1,
        "[REDACTED:slack-token]");

    // AKIA[0-9A-Z]{16}
    internal static string AwsAccessKey(string s) => Replace(s, "AKIA", static (s, i) =>
    {
        int end = i + 4 + 16;
        if (end > s.Length) return -1;
        for (int j = i + 4; j < end; j++) if (!(char.IsAsciiDigit(s[j]) || char.IsAsciiLetterUpper(s[j]))) return -1;
        return 20;
    }, "[REDACTED:aws-access-key]");

    // Bearer\s+[a-zA-Z0-9\-._~+/]+=*   (\s is exactly char.IsWhiteSpace: [\f\n\r\t\v\x85\p{Z}])
    internal static string BearerToken(string s) => Replace(s, "Bearer", static (s, i) =>
    {
        int j = i + "Bearer".Length, spaces = j;
        while (j < s.Length && char.IsWhiteSpace(s[j])) j++;
        if (j == spaces) return -1;
        int token = j;
        while (j < s.Length && (Alnum(s[j]) || "-._~+/".Contains(s[j]))) j++;
        if (j == token) return -1;
        while (j < s.Length && s[j] == '=') j++;
        return j - i;
    }, "[REDACTED:bearer-token]");

    // (postgres|mysql|mongodb|redis|amqp)://[^\s]+
    internal static string ConnectionString(string s)
    {
        StringBuilder? sb = null;
        int copied = 0, from = 0;
        // Next occurrence of each scheme at or after `from` (-1: none left), so a long text is scanned once per scheme.
        Span<int> next = stackalloc int[s_dbSchemes.Length];
        next.Fill(-2);
        while (true)
        {
            int at = -1, length = 0;
            for (int k = 0; k < s_dbSchemes.Length; k++)
            {
                if (next[k] != -1 && next[k] < from) next[k] = s.IndexOf(s_dbSchemes[k], from, StringComparison.Ordinal);
                if (next[k] >= 0 && (at < 0 || next[k] < at)) (at, length) = (next[k], s_dbSchemes[k].Length);
            }
            if (at < 0) break;
            int j = at + length;
            if (string.CompareOrdinal(s, j, "://", 0, 3) != 0 || j + 3 >= s.Length || char.IsWhiteSpace(s[j + 3]))
            {
                from = at + 1;
                continue;
            }
            j += 3;
            while (j < s.Length && !char.IsWhiteSpace(s[j])) j++;
            sb ??= new StringBuilder(s.Length);
            sb.Append(s, copied, at - copied).Append("[REDACTED:connection-string]");
            copied = from = j;
        }
        return sb is null ? s : sb.Append(s, copied, s.Length - copied).ToString();
    }

    // key-[a-zA-Z0-9]{16,}
    internal static string ApiKey(string s) => Run(s, "key-", Alnum, 16, "[REDACTED:api-key]");

    // token-[a-zA-Z0-9]{16,}
    internal static string Token(string s) => Run(s, "token-", Alnum, 16, "[REDACTED:token]");

    // eyJ[a-zA-Z0-9_-]{10,}\.eyJ[a-zA-Z0-9_-]{10,}\.[a-zA-Z0-9_-]{10,}
    internal static string Jwt(string s) => Replace(s, "eyJ", static (s, i) =>
    {
        int header = RunLength(s, i, 3, JwtChar, 10);
        if (header < 0) return -1;
        int j = i + header;
        if (string.CompareOrdinal(s, j, ".eyJ", 0, 4) != 0) return -1;
        int payload = RunLength(s, j, 4, JwtChar, 10);
        if (payload < 0) return -1;
        j += payload;
        if (j >= s.Length || s[j] != '.') return -1;
        int signature = RunLength(s, j, 1, JwtChar, 10);
        return signature < 0 ? -1 : j + signature - i;
    }, "[REDACTED:jwt]");

    private static bool Alnum(char c) => char.IsAsciiLetterOrDigit(c);

    private static bool AlnumDash(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private static bool JwtChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';

    /// <summary>After "(?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----" at <paramref name="at"/>: the index after it, or -1.</summary>
    private static int KeyLabel(string s, int at)
    {
        foreach (string kind in s_keyKinds)
        {
            if (string.CompareOrdinal(s, at, kind, 0, kind.Length) != 0) continue;
            int label = at + kind.Length;
            if (string.CompareOrdinal(s, label, "PRIVATE KEY-----", 0, 16) == 0 && label + 16 <= s.Length) return label + 16;
        }
        return -1;
    }

    /// <summary>Length from <paramref name="start"/> to the end of a greedy run (at least <paramref name="min"/>) beginning at start+skip, or -1.</summary>
    private static int RunLength(string s, int start, int skip, Func<char, bool> allowed, int min)
    {
        int j = start + skip;
        while (j < s.Length && allowed(s[j])) j++;
        return j - (start + skip) >= min ? j - start : -1;
    }

    private static string Run(string s, string literal, Func<char, bool> allowed, int min, string marker) =>
        Replace(s, literal, (s, i) => RunLength(s, i, literal.Length, allowed, min), marker);

    /// <summary>Regex.Replace for a pattern that starts with <paramref name="literal"/>: every leftmost, non-overlapping match.</summary>
    private static string Replace(string s, string literal, Tail tail, string marker)
    {
        StringBuilder? sb = null;
        int copied = 0;
        for (int i = s.IndexOf(literal, StringComparison.Ordinal); i >= 0;)
        {
            int length = tail(s, i);
            if (length < 0)
            {
                i = i + 1 < s.Length ? s.IndexOf(literal, i + 1, StringComparison.Ordinal) : -1;
                continue;
            }
            sb ??= new StringBuilder(s.Length);
            sb.Append(s, copied, i - copied).Append(marker);
            copied = i + length;
            i = copied < s.Length ? s.IndexOf(literal, copied, StringComparison.Ordinal) : -1;
        }
        return sb is null ? s : sb.Append(s, copied, s.Length - copied).ToString();
    }
}
