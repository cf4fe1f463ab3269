namespace AgentStrace.Capture.Redaction;

/// <summary>
/// Decides whether a name (a JSON key, an environment variable, a header, a flag) holds a secret: the names upstream
/// knows, anything that contains password/secret/credential/api key, and names that end in a token, a key with a
/// secret-ish qualifier (<c>DD_APP_KEY</c>, <c>AccountKey</c>), a cookie or an authorization. Names that only
/// describe a secret (<c>token_count</c>, <c>api_key_source</c>, <c>max_tokens</c>) are not secrets.
/// </summary>
internal static class SensitiveNames
{
    private static readonly HashSet<string> s_exact = new(StringComparer.Ordinal)
    {
        "password", "passwd", "secret", "token", "apikey", "accesstoken", "refreshtoken", "authtoken", "authorization",
        "credential", "credentials", "privatekey", "clientsecret", "connectionstring", "databaseurl", "dburl",
        "awsaccesskeyid", "awssecretaccesskey", "awssessiontoken", "pwd", "auth", "sig", "dsn", "xhoneycombteam",
        "cookie", "setcookie", "pass", "pat",
    };

    private static readonly string[] s_contains = ["password", "passwd", "passphrase", "secret", "credential", "privatekey", "apikey", "accesskey", "connectionstring"];

    private static readonly string[] s_endings = ["token", "pwd", "cookie", "authorization", "apitoken", "honeycombteam", "signingkey", "encryptionkey"];

    private static readonly string[] s_keyQualifiers = ["app", "account", "master", "license", "ingest", "shared", "secret", "private", "access", "api", "client", "auth", "webhook", "service", "admin", "sas", "storage", "subscription", "deploy", "hmac"];

    // Names that describe a secret rather than hold one.
    private static readonly string[] s_describing = ["source", "name", "names", "type", "path", "file", "count", "length", "size", "id", "ids", "env", "field", "header", "mode", "enabled", "expiry", "expires", "expiresat", "ttl", "usage", "limit", "ref", "arn", "version", "format", "prefix", "hint", "helper", "provider", "url", "uri", "location", "scope", "scopes"];

    // Per thread: the answers for the names met so far. The same few dozen keys and assignment names come back on
    // every event of an import, and deciding one normalizes it and tries ~80 suffixes.
    [ThreadStatic] private static Dictionary<string, bool>? t_known;

    private const int KnownMax = 4096, KnownLength = 64;

    public static bool IsSensitive(string name) => IsSensitive(name.AsSpan(), name);

    /// <summary>As <see cref="IsSensitive(string)"/> for a name inside a longer text (no string made when it is known).</summary>
    public static bool IsSensitive(ReadOnlySpan<char> name) => IsSensitive(name, null);

    private static bool IsSensitive(ReadOnlySpan<char> name, string? text)
    {
        // A long name (a hostile key) is decided each time: the table stays a few hundred KiB at most.
        if (name.Length > KnownLength) return Decide(text ?? name.ToString());
        Dictionary<string, bool> known = t_known ??= new Dictionary<string, bool>(StringComparer.Ordinal);
        Dictionary<string, bool>.AlternateLookup<ReadOnlySpan<char>> lookup = known.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(name, out bool sensitive)) return sensitive;
        text ??= name.ToString();
        sensitive = Decide(text);
        if (known.Count >= KnownMax) known.Clear();
        known[text] = sensitive;
        return sensitive;
    }

    private static bool Decide(string name)
    {
        string n = Normalize(name);
        if (n.Length == 0) return false;
        if (s_exact.Contains(n)) return true;
        foreach (string d in s_describing)
        {
            if (n.Length > d.Length && n.EndsWith(d, StringComparison.Ordinal)) return false;
        }
        foreach (string c in s_contains)
        {
            if (n.Contains(c, StringComparison.Ordinal)) return true;
        }
        foreach (string e in s_endings)
        {
            if (n.EndsWith(e, StringComparison.Ordinal)) return true;
        }
        if (n.EndsWith("key", StringComparison.Ordinal))
        {
            string before = n[..^3];
            foreach (string q in s_keyQualifiers)
            {
                if (before.EndsWith(q, StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }

    /// <summary>Lower case without separators: <c>AWS_SECRET-Access.Key</c> → <c>awssecretaccesskey</c>.</summary>
    private static string Normalize(string name)
    {
        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        int n = 0;
        foreach (char c in name)
        {
            if (char.IsAsciiLetterOrDigit(c)) buffer[n++] = char.ToLowerInvariant(c);
            else if (c is '_' or '-' or '.' or ' ' or '$' or '@') continue;
            else if (c > 127) buffer[n++] = c;
        }
        return new string(buffer[..n]);
    }
}
