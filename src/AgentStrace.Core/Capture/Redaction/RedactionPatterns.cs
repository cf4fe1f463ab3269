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
    internal static readonly Func<string, string>[] All =
    [
        SecretShapes.PrivateKey,
        SecretShapes.Jwt,
        SecretShapes.Base64Jwt,
        .. TokenRules.All(),
        SecretShapes.SendGrid,
        SecretShapes.AzureClientSecret,
        SecretShapes.NewRelicLicense,
        SecretShapes.BearerToken,
        SecretShapes.ConnectionString,
        static s => BasicAuth().Replace(s, static m => m.Groups[1].Value + "[REDACTED:basic-auth]@"),
        SecretShapes.AwsSecretKey,
        Assignments.Redact,
    ];
}
