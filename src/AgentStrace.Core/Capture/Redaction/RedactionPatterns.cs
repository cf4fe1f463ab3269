using System.Text.RegularExpressions;

namespace AgentStrace.Capture.Redaction;

/// <summary>Upstream's secret patterns, in upstream order.</summary>
internal static partial class RedactionPatterns
{
    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s:@]+:[^/\s@]+)@")]
    private static partial Regex BasicAuth();

    [GeneratedRegex(@"[0-9a-f]{40,}")]
    private static partial Regex HexToken();

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}$")]
    internal static partial Regex PolicySha256();

    /// <summary>The redactions in the order upstream applies them. Patterns that start with a literal are matched by
    /// <see cref="SecretShapes"/> (see there why); the other two stay source-generated regexes, and their replacements
    /// are evaluators, not "$1" replacement patterns, which would link the whole runtime regex parser.</summary>
    internal static readonly Func<string, string>[] All =
    [
        SecretShapes.PrivateKey,
        SecretShapes.AnthropicKey,
        SecretShapes.OpenAiKey,
        SecretShapes.GitHubToken,
        SecretShapes.GitHubPat,
        SecretShapes.SlackToken,
        SecretShapes.AwsAccessKey,
        SecretShapes.BearerToken,
        SecretShapes.ConnectionString,
        static s => BasicAuth().Replace(s, static m => m.Groups[1].Value + "[REDACTED:basic-auth]@"),
        SecretShapes.ApiKey,
        SecretShapes.Token,
        SecretShapes.Jwt,
        static s => HexToken().Replace(s, static _ => "[REDACTED:hex-token]"),
    ];
}
