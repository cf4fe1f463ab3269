using System.Text;

namespace AgentStrace.Capture.Redaction;

/// <summary>
/// Secret shapes that start with a fixed literal, matched by hand (leftmost match, greedy runs, non-overlapping
/// replacement). Source-generated regexes find such literals through <c>SearchValues&lt;string&gt;</c>, which drags
/// ~80 KB of multi-string search code into the binary; these shapes need only
/// <see cref="string.IndexOf(string, int, StringComparison)"/>. The families follow the rule sets of gitleaks and
/// trufflehog; tests/AgentStrace.Tests/Capture/SecretVectors holds labelled true and false positives.
/// </summary>
internal static class SecretShapes
{
    /// <summary>Returns the length of the match starting at <c>start</c> (where the literal was found), or -1.</summary>
    internal delegate int Tail(string s, int start);

    private static readonly string[] s_dbSchemes = ["postgres", "mysql", "mongodb", "redis", "amqp"];

    // -----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?----- up to the matching END line. A block cut short (a tool output
    // truncated by the agent, a key pasted half-way) loses everything up to the end of its base64 body instead.
    internal static string PrivateKey(string s) => Replace(s, "-----BEGIN ", static (s, i) =>
    {
        int body = KeyLabel(s, i + "-----BEGIN ".Length);
        if (body < 0) return -1;
        for (int end = s.IndexOf("-----END ", body, StringComparison.Ordinal); end >= 0; end = s.IndexOf("-----END ", end + 1, StringComparison.Ordinal))
        {
            int after = KeyLabel(s, end + "-----END ".Length);
            if (after >= 0) return after - i;
            if (s.IndexOf("-----BEGIN ", body, end - body, StringComparison.Ordinal) >= 0) break;
        }
        int j = body;
        while (j < s.Length && IsPemBody(s[j]) && string.CompareOrdinal(s, j, "-----", 0, 5) != 0) j++;
        return j - i;
    }, "[REDACTED:private-key]");

    // Base64 body, whitespace, escaped newlines ("\n" in a JSON or Python repr) and the "Proc-Type: 4,ENCRYPTED" headers.
    private static bool IsPemBody(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '\\' or ':' or ',' or '-' || char.IsWhiteSpace(c);

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
            if (j < s.Length && s[j] == 'q' && s_dbSchemes[0].Length == length && string.CompareOrdinal(s, at, "postgres", 0, 8) == 0) j++; // postgresql
            else if (j < s.Length && s[j] == 's' && length is 4 or 5) j++; // rediss, amqps
            if (string.CompareOrdinal(s, j, "://", 0, 3) != 0 || j + 3 >= s.Length || char.IsWhiteSpace(s[j + 3]))
            {
                from = at + 1;
                continue;
            }
            j += 3;
            while (j < s.Length && !char.IsWhiteSpace(s[j]) && s[j] is not '"' and not '\'' and not '`') j++;
            sb ??= new StringBuilder(s.Length);
            sb.Append(s, copied, at - copied).Append("[REDACTED:connection-string]");
            copied = from = j;
        }
        return sb is null ? s : sb.Append(s, copied, s.Length - copied).ToString();
    }

    // Bearer\s+[a-zA-Z0-9\-._~+/]+=*   (\s is exactly char.IsWhiteSpace)
    internal static string BearerToken(string s) => Replace(s, "Bearer", static (s, i) =>
    {
        int j = i + "Bearer".Length, spaces = j;
        while (j < s.Length && char.IsWhiteSpace(s[j])) j++;
        if (j == spaces) return -1;
        int token = j;
        while (j < s.Length && (Alnum(s[j]) || "-._~+/".Contains(s[j]))) j++;
        if (j - token < 8) return -1;
        while (j < s.Length && s[j] == '=') j++;
        return j - i;
    }, "[REDACTED:bearer-token]");

    // eyJ[a-zA-Z0-9_-]{10,}\.eyJ[a-zA-Z0-9_-]{10,}\.[a-zA-Z0-9_-]{10,}   (the signature may be empty: alg "none")
    internal static string Jwt(string s) => Replace(s, "eyJ", static (s, i) => JwtLength(s, i), "[REDACTED:jwt]");

    internal static int JwtLength(string s, int i)
    {
        int header = RunLength(s, i, 3, JwtChar, 10);
        if (header < 0) return -1;
        int j = i + header;
        if (string.CompareOrdinal(s, j, ".eyJ", 0, 4) != 0) return -1;
        int payload = RunLength(s, j, 4, JwtChar, 10);
        if (payload < 0) return -1;
        j += payload;
        if (j >= s.Length || s[j] != '.') return -1;
        int signature = RunLength(s, j, 1, JwtChar, 0);
        return j + signature - i;
    }

    // A JWT wrapped in base64 (a Kubernetes secret, a basic-auth blob): "eyJ" encodes to "ZXlK".
    internal static string Base64Jwt(string s) => Replace(s, "ZXlK", static (s, i) =>
    {
        if (i > 0 && IsBase64(s[i - 1])) return -1;
        int j = i;
        while (j < s.Length && IsBase64(s[j])) j++;
        int length = j - i;
        if (length < 48) return -1;
        int usable = length / 4 * 4;
        byte[] bytes = new byte[usable];
        if (!Convert.TryFromBase64String(s.Substring(i, usable).TrimEnd('=').PadRight(usable, '='), bytes, out int written)) return -1;
        string decoded = Encoding.Latin1.GetString(bytes, 0, written);
        return decoded.StartsWith("eyJ", StringComparison.Ordinal) && JwtLength(decoded, 0) > 0 ? length : -1;
    }, "[REDACTED:jwt]");

    // SendGrid: SG.[\w-]{16,32}\.[\w-]{30,}
    internal static string SendGrid(string s) => Replace(s, "SG.", static (s, i) =>
    {
        if (i > 0 && Alnum(s[i - 1])) return -1;
        int first = RunLength(s, i, 3, JwtChar, 16);
        if (first < 0 || first - 3 > 32 || i + first >= s.Length || s[i + first] != '.') return -1;
        int second = RunLength(s, i + first, 1, JwtChar, 30);
        return second < 0 ? -1 : first + second;
    }, "[REDACTED:sendgrid-key]");

    // Azure AD client secret: [a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}
    internal static string AzureClientSecret(string s) => ReplaceAround(s, "Q~", static (s, i) =>
    {
        int start = i - 4;
        if (start < 0 || (start > 0 && (Alnum(s[start - 1]) || s[start - 1] is '_' or '~' or '.'))) return (-1, 0);
        for (int k = start; k < start + 3; k++) if (!(Alnum(s[k]) || s[k] is '_' or '~' or '.')) return (-1, 0);
        if (!char.IsAsciiDigit(s[i - 1])) return (-1, 0);
        int j = i + 2;
        while (j < s.Length && (Alnum(s[j]) || s[j] is '_' or '~' or '.' or '-')) j++;
        return j - (i + 2) is >= 31 and <= 34 ? (start, j - start) : (-1, 0);
    }, "[REDACTED:azure-client-secret]");

    // New Relic license key: 36 hex characters then "NRAL".
    internal static string NewRelicLicense(string s) => ReplaceAround(s, "NRAL", static (s, i) =>
    {
        int start = i - 36;
        if (start < 0 || (start > 0 && Alnum(s[start - 1])) || (i + 4 < s.Length && Alnum(s[i + 4]))) return (-1, 0);
        for (int k = start; k < i; k++) if (!char.IsAsciiHexDigit(s[k])) return (-1, 0);
        return (start, 40);
    }, "[REDACTED:newrelic-key]");

    // An AWS secret access key on its own: exactly 40 of [A-Za-z0-9/+], mixed case and digits, not a path or a
    // piece of a longer base64 text (image data, integrity hashes). Next to its name, GenericAssignment catches it.
    internal static string AwsSecretKey(string s)
    {
        StringBuilder? sb = null;
        int copied = 0;
        for (int i = 0; i < s.Length;)
        {
            if (!IsBase64Char(s[i])) { i++; continue; }
            int j = i;
            while (j < s.Length && IsBase64Char(s[j])) j++;
            bool bounded = (i == 0 || !(s[i - 1] is '=' or '-' or '_')) && (j == s.Length || !(s[j] is '=' or '-' or '_' or '.'));
            if (j - i == 40 && bounded && LooksRandom(s, i, 40))
            {
                sb ??= new StringBuilder(s.Length);
                sb.Append(s, copied, i - copied).Append("[REDACTED:aws-secret-key]");
                copied = j;
            }
            i = j;
        }
        return sb is null ? s : sb.Append(s, copied, s.Length - copied).ToString();
    }

    private static bool IsBase64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '+';

    private static bool IsBase64(char c) => IsBase64Char(c) || c == '=';

    private static bool LooksRandom(string s, int at, int length)
    {
        int upper = 0, lower = 0, digits = 0, slashes = 0;
        for (int k = at; k < at + length; k++)
        {
            char c = s[k];
            if (char.IsAsciiLetterUpper(c)) upper++;
            else if (char.IsAsciiLetterLower(c)) lower++;
            else if (char.IsAsciiDigit(c)) digits++;
            else if (c == '/') { slashes++; if (k > at && s[k - 1] == '/') return false; }
        }
        return upper >= 2 && lower >= 2 && digits >= 2 && slashes <= 3 && s[at] != '/' && s[at + length - 1] != '/';
    }

    internal static bool Alnum(char c) => char.IsAsciiLetterOrDigit(c);

    private static bool JwtChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';

    /// <summary>After "[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----" at <paramref name="at"/>: the index after it, or -1.</summary>
    private static int KeyLabel(string s, int at)
    {
        int label = s.IndexOf("PRIVATE KEY", at, Math.Min(s.Length - at, 40 + 11), StringComparison.Ordinal);
        if (label < 0) return -1;
        for (int k = at; k < label; k++) if (!(char.IsAsciiLetterUpper(s[k]) || char.IsAsciiDigit(s[k]) || s[k] == ' ')) return -1;
        int j = label + "PRIVATE KEY".Length;
        if (string.CompareOrdinal(s, j, " BLOCK", 0, 6) == 0) j += 6;
        return string.CompareOrdinal(s, j, "-----", 0, 5) == 0 && j + 5 <= s.Length ? j + 5 : -1;
    }

    /// <summary>Length from <paramref name="start"/> to the end of a greedy run (at least <paramref name="min"/>) beginning at start+skip, or -1.</summary>
    internal static int RunLength(string s, int start, int skip, Func<char, bool> allowed, int min)
    {
        int j = start + skip;
        while (j < s.Length && allowed(s[j])) j++;
        return j - (start + skip) >= min ? j - start : -1;
    }

    /// <summary>Regex.Replace for a pattern that starts with <paramref name="literal"/>: every leftmost, non-overlapping match.</summary>
    internal static string Replace(string s, string literal, Tail tail, string marker) =>
        ReplaceAround(s, literal, (s, i) => tail(s, i) is int length and >= 0 ? (i, length) : (-1, 0), marker);

    /// <summary>As <see cref="Replace"/> for a shape whose match begins before its literal: <paramref name="around"/>
    /// returns (start, length), start -1 for none.</summary>
    private static string ReplaceAround(string s, string literal, Func<string, int, (int Start, int Length)> around, string marker)
    {
        StringBuilder? sb = null;
        int copied = 0;
        for (int i = s.IndexOf(literal, StringComparison.Ordinal); i >= 0;)
        {
            var (start, length) = around(s, i);
            if (start < copied)
            {
                i = i + 1 < s.Length ? s.IndexOf(literal, i + 1, StringComparison.Ordinal) : -1;
                continue;
            }
            sb ??= new StringBuilder(s.Length);
            sb.Append(s, copied, start - copied).Append(marker);
            copied = start + length;
            i = copied < s.Length ? s.IndexOf(literal, copied, StringComparison.Ordinal) : -1;
        }
        return sb is null ? s : sb.Append(s, copied, s.Length - copied).ToString();
    }
}
