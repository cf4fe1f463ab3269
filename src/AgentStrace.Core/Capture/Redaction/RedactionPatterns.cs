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

    /// <summary>Which patterns a text's trigger bits leave to try (<see cref="All"/> must be built first).</summary>
    internal static readonly PatternIndex Index = new(All);

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

/// <summary>
/// The patterns that may match a text, found from its trigger bits without asking each of the ~90 patterns: a pattern
/// is a candidate when the lowest bit of one of its trigger sets is present (a necessary condition; <see
/// cref="Pattern.MayMatch"/> still decides), or when it has no trigger.
/// </summary>
internal sealed class PatternIndex
{
    private readonly PatternSet[] _byBit = new PatternSet[256];
    private readonly PatternSet _always;

    public PatternIndex(Pattern[] patterns)
    {
        if (patterns.Length > 128) throw new InvalidOperationException("more than 128 redaction patterns");
        for (int i = 0; i < patterns.Length; i++)
        {
            if (patterns[i].AnyOf.Length == 0) _always.Add(i);
            foreach (TriggerSet needed in patterns[i].AnyOf)
            {
                int bit = needed.LowestBit();
                if (bit < 0) _always.Add(i);
                else _byBit[bit].Add(i);
            }
        }
    }

    public PatternSet Candidates(in TriggerSet present)
    {
        PatternSet set = _always;
        for (int bit = present.NextBit(-1); bit >= 0; bit = present.NextBit(bit)) set.Union(_byBit[bit]);
        return set;
    }
}

/// <summary>A set of pattern indexes (0–127).</summary>
internal struct PatternSet
{
    private ulong _lo, _hi;

    public void Add(int i)
    {
        if (i < 64) _lo |= 1UL << i;
        else _hi |= 1UL << (i - 64);
    }

    public void Union(in PatternSet other)
    {
        _lo |= other._lo;
        _hi |= other._hi;
    }

    /// <summary>The lowest index in the set at or after <paramref name="from"/>, or -1.</summary>
    public readonly int Next(int from)
    {
        if (from < 64)
        {
            ulong lo = _lo & (ulong.MaxValue << from);
            if (lo != 0) return System.Numerics.BitOperations.TrailingZeroCount(lo);
            from = 64;
        }
        if (from >= 128) return -1;
        ulong hi = _hi & (ulong.MaxValue << (from - 64));
        return hi != 0 ? 64 + System.Numerics.BitOperations.TrailingZeroCount(hi) : -1;
    }
}
