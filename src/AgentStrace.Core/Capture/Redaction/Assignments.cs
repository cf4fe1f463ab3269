using System.Text;

namespace AgentStrace.Capture.Redaction;

/// <summary>
/// Secrets assigned to a sensitive name in free text: <c>password=hunter2</c>, <c>export AWS_SECRET_ACCESS_KEY=…</c>,
/// <c>"client_secret": "…"</c> in a JSON or Python text, <c>X-Api-Key: …</c>, <c>Authorization: Basic …</c>,
/// <c>token := …</c>, <c>--password=…</c> and "my password is …". Only the value becomes a marker; references that
/// are not a secret (<c>$TOKEN</c>, <c>os.environ[…]</c>, <c>password: str</c>, numbers) stay.
/// </summary>
internal static class Assignments
{
    public const string Marker = "[REDACTED:sensitive]";

    private static readonly HashSet<string> s_notSecrets = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "null", "none", "nil", "undefined", "str", "string", "int", "bool", "bytes", "number", "optional",
        "any", "object", "secretstr", "required", "yes", "no", "on", "off", "redacted", "hidden", "masked", "empty", "unset",
        "string?", "str?", "set", "missing", "present", "ok", "invalid", "expired", "revoked", "function", "func", "def", "files", "compat", "ldap", "sss",
    };

    private static readonly string[] s_references = ["os.environ", "os.getenv", "process.env", "env.", "getenv", "secrets.", "vars.", "config.", "self.", "this.", "settings.", "context.", "ctx.", "props.", "args.", "options.", "opts."];

    private static readonly string[] s_schemes = ["Basic", "Bearer", "Token", "Digest", "ApiKey", "SSWS", "Splunk", "token", "bearer", "basic", "Key", "GenieKey", "Negotiate"];

    public static string Redact(string s)
    {
        StringBuilder? sb = null;
        int copied = 0;
        for (int i = s.AsSpan().IndexOfAny('=', ':'); i >= 0;)
        {
            int next = i + 1;
            if (TryValue(s, i, out int start, out int end) && start >= copied)
            {
                sb ??= new StringBuilder(s.Length);
                sb.Append(s, copied, start - copied).Append(Marker);
                copied = next = end;
            }
            if (next >= s.Length) break;
            int found = s.AsSpan(next).IndexOfAny('=', ':');
            i = found < 0 ? -1 : next + found;
        }
        return sb is null ? s : sb.Append(s, copied, s.Length - copied).ToString();
    }

    /// <summary>The value assigned at separator <paramref name="sep"/> to a sensitive name, as [start, end).</summary>
    private static bool TryValue(string s, int sep, out int start, out int end)
    {
        start = end = 0;
        char c = s[sep];
        char after = sep + 1 < s.Length ? s[sep + 1] : '\0';
        char before = sep > 0 ? s[sep - 1] : '\0';
        if (c == '=' && (after is '=' or '>' or '~' || before is '=' or '!' or '<' or '>')) return false;
        if (c == ':' && (after is '/' or ':' || before == ':')) return false;

        int k = sep;
        while (k > 0 && s[k - 1] is ' ' or '\t') k--;
        for (int q = 0; q < 4 && k > 0 && s[k - 1] is '"' or '\'' or '`' or '\\'; q++) k--;
        int nameEnd = k;
        while (k > 0 && nameEnd - k <= 64 && (char.IsAsciiLetterOrDigit(s[k - 1]) || s[k - 1] is '_' or '-' or '.')) k--;
        if (nameEnd - k is 0 or > 64 || (k > 0 && char.IsAsciiLetterOrDigit(s[k - 1]))) return false;
        if (!SensitiveNames.IsSensitive(s.AsSpan(k, nameEnd - k))) return false;
        string name = s[k..nameEnd];

        int v = sep + 1;
        if (c == ':' && after == '=') v++;
        while (v < s.Length && s[v] is ' ' or '\t') v++;
        int backslashes = v;
        while (v < s.Length && s[v] == '\\') v++;
        char quote = v < s.Length && s[v] is '"' or '\'' or '`' ? s[v] : '\0';
        bool quoted = quote != '\0';
        if (!quoted) v = backslashes;
        int valueStart = quoted ? v + 1 : v, j = valueStart;
        if (quoted)
        {
            while (j < s.Length && s[j] != quote && s[j] != '\n') j++;
            while (j > valueStart && s[j - 1] == '\\') j--; // the closing quote of an escaped JSON text: \"
        }
        else
        {
            while (j < s.Length && !IsValueStop(s[j])) j++;
            // Authorization: Basic dXNlcjpwYXNz — the scheme and its credentials.
            if (j < s.Length && s[j] == ' ' && Array.IndexOf(s_schemes, s[valueStart..j]) >= 0)
            {
                int t = j + 1;
                while (t < s.Length && !IsValueStop(s[t])) t++;
                if (t == j + 1 || !LooksSecret(name, s, j + 1, t, quoted: false)) return false;
                j = t;
            }
            while (j > valueStart && s[j - 1] is '.' or '!' or '?') j--;
        }
        if (!LooksSecret(name, s, valueStart, j, quoted)) return false;
        start = valueStart;
        end = j;
        return true;
    }

    private static bool IsValueStop(char c) => char.IsWhiteSpace(c) || c is ',' or ';' or '&' or '|' or '(' or ')' or '[' or '{' or '}' or ']' or '<' or '>' or '"' or '\'' or '`' or '\\';

    private static bool LooksSecret(string name, string s, int start, int end, bool quoted)
    {
        if (end <= start) return false;
        string value = s[start..end];
        if (value.StartsWith("[REDACTED", StringComparison.Ordinal) || s_notSecrets.Contains(value)) return false;
        char first = value[0];
        if (first is '$' or '%' or '<' or '{' or '(' or '[' or '*' or '#') return false;
        foreach (string r in s_references)
        {
            if (value.StartsWith(r, StringComparison.Ordinal)) return false;
        }
        if (!quoted)
        {
            if (end < s.Length && s[end] is '(' or '[') return false;
            if (IsNumber(value)) return false;
            if (IsDottedReference(value)) return false;
        }
        if ((first is '/' or '~' or '.') && name.EndsWith("pwd", StringComparison.OrdinalIgnoreCase)) return false;
        return !value.All(static ch => ch is 'x' or 'X' or '*' or '.' or '•');
    }

    private static bool IsNumber(string v) => v.All(static ch => char.IsAsciiDigit(ch) || ch is '.' or '-' or '+' or 'e' or 'E');

    private static bool IsDottedReference(string v) =>
        v.Contains('.') && v.All(static ch => char.IsAsciiLetterLower(ch) || ch is '_' or '.') && !v.StartsWith('.') && !v.EndsWith('.');

    private static readonly string[] s_phrases = ["password is ", "passphrase is ", "password was ", "pin is "];

    /// <summary>"my password is hunter2!": the word after "password is" when it has anything but letters. Each phrase
    /// starts with a p, so one vectorised search for p/P finds the places to compare (ignoring case).</summary>
    public static string PhraseForm(string s)
    {
        for (int at = s.AsSpan().IndexOfAny('p', 'P'); at >= 0;)
        {
            int resume = at + 1;
            foreach (string phrase in s_phrases)
            {
                if (!s.AsSpan(at).StartsWith(phrase, StringComparison.OrdinalIgnoreCase)) continue;
                int v = at + phrase.Length, j = v;
                while (j < s.Length && !char.IsWhiteSpace(s[j]) && s[j] is not '"' and not '\'' and not '`') j++;
                while (j > v && s[j - 1] is '.' or ',' or '!' or '?' or ';' or ')') j--;
                if (j - v < 4 || s.AsSpan(v, j - v).ContainsAnyExcept(s_letters) is false || s.AsSpan(v).StartsWith("[REDACTED")) continue;
                s = string.Concat(s.AsSpan(0, v), Marker, s.AsSpan(j));
                resume = v + Marker.Length;
                break;
            }
            if (resume >= s.Length) break;
            int next = s.AsSpan(resume).IndexOfAny('p', 'P');
            at = next < 0 ? -1 : resume + next;
        }
        return s;
    }

    private static readonly System.Buffers.SearchValues<char> s_letters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}
