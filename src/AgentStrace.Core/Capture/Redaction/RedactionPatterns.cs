using System.Text.RegularExpressions;

namespace AgentStrace.Capture.Redaction;

/// <summary>The secret patterns, in the order they are applied.</summary>
internal static partial class RedactionPatterns
{
    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s:@]+:[^/\s@]+)@")]
    private static partial Regex BasicAuth();

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}$")]
    internal static partial Regex PolicySha256();

    /// <summary>
    /// Whole blocks first (a private key, a JWT), then vendor tokens by prefix, then shapes without a prefix, and last
    /// the values assigned to sensitive names (so a value already replaced by a typed marker keeps it). Patterns that
    /// start with a literal are matched by <see cref="SecretShapes"/> and <see cref="TokenRules"/> (see there why);
    /// basic auth stays a source-generated regex whose replacement is an evaluator, not a "$1" pattern, which would
    /// link the whole runtime regex parser. Upstream's bare 40-hex rule is gone: it redacted every git commit id and
    /// sha256 sum.
    /// </summary>
    /// <summary>The pairs of characters the patterns' literals need (initialised before <see cref="All"/>, which fills it).</summary>
    internal static readonly Triggers Triggers = new();

    internal static readonly Pattern[] All = Build();

    private static Pattern[] Build()
    {
        Triggers t = Triggers;
        var patterns = new List<Pattern>(128)
        {
            new(SecretShapes.PrivateKey, t.For("-----BEGIN ")),
            new(SecretShapes.Jwt, t.For("eyJ")),
            new(SecretShapes.Base64Jwt, t.For("ZXlK")),
        };
        TokenRules.AddTo(patterns, t);
        patterns.AddRange(
        [
            new(SecretShapes.SendGrid, t.For("SG.")),
            new(SecretShapes.AzureClientSecret, t.For("Q~")),
            new(SecretShapes.NewRelicLicense, t.For("NRAL")),
            new(SecretShapes.BearerToken, t.For("Bearer")),
            new(SecretShapes.ConnectionString, t.For("://")),
            new(RedactBasicAuth, t.For("://")),
            new(SecretShapes.AwsSecretKey, Triggers.Base64Run40),
            new(Assignments.Redact),
            new(Assignments.PhraseForm, [t.For("password is ", ignoreCase: true), t.For("pin is ", ignoreCase: true)]),
        ]);
        return patterns.ToArray();
    }
}

internal static partial class RedactionPatterns
{
    private static string RedactBasicAuth(string s) =>
        MayHoldUserInfo(s) ? BasicAuth().Replace(s, static m => m.Groups[1].Value + "[REDACTED:basic-auth]@") : s;

    /// <summary>
    /// A necessary condition for <see cref="BasicAuth"/>: some "://" followed, before any '/' or white space, by a ':'
    /// and then an '@' (the first '@' ends the password). Texts full of URLs without credentials skip the regex, which
    /// would otherwise try a match at every letter (its scheme has no literal to search for).
    /// </summary>
    internal static bool MayHoldUserInfo(string s)
    {
        for (int at = s.IndexOf("://", StringComparison.Ordinal); at >= 0; at = s.IndexOf("://", at + 1, StringComparison.Ordinal))
        {
            bool colon = false;
            for (int j = at + 3; j < s.Length; j++)
            {
                char c = s[j];
                // Only characters the regex never takes there end the scan (ASCII white space is in \s; others go on).
                if (c is '/' or ' ' or '\t' or '\n' or '\r' or '\f' or '\v') break;
                if (c == ':') colon = true;
                else if (c == '@')
                {
                    if (colon) return true;
                    break;
                }
            }
        }
        return false;
    }
}

/// <summary>A redaction rule and what a text must contain for it to possibly match (any one of
/// <see cref="AnyOf"/>; none listed: always run).</summary>
internal sealed class Pattern(Func<string, string> apply, params TriggerSet[] anyOf)
{
    public Func<string, string> Apply { get; } = apply;

    public TriggerSet[] AnyOf { get; } = anyOf;

    public bool MayMatch(in TriggerSet present)
    {
        if (AnyOf.Length == 0) return true;
        foreach (ref readonly TriggerSet needed in AnyOf.AsSpan())
        {
            if (present.Covers(needed)) return true;
        }
        return false;
    }
}
