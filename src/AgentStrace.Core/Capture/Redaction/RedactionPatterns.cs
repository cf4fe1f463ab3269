using System.Text.RegularExpressions;

namespace AgentStrace.Capture.Redaction;

/// <summary>The secret patterns of spec §1.7, in upstream order, source-generated for Native AOT.</summary>
internal static partial class RedactionPatterns
{
    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"sk-ant-[a-zA-Z0-9\-]{20,}")]
    private static partial Regex AnthropicKey();

    [GeneratedRegex(@"sk-[a-zA-Z0-9]{20,}")]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"gh[ps]_[a-zA-Z0-9]{36,}")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"github_pat_[a-zA-Z0-9_]{22,}")]
    private static partial Regex GitHubPat();

    [GeneratedRegex(@"xox[bpras]-[a-zA-Z0-9\-]{10,}")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"AKIA[0-9A-Z]{16}")]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"Bearer\s+[a-zA-Z0-9\-._~+/]+=*")]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"(postgres|mysql|mongodb|redis|amqp)://[^\s]+")]
    private static partial Regex ConnectionString();

    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s:@]+:[^/\s@]+)@")]
    private static partial Regex BasicAuth();

    [GeneratedRegex(@"key-[a-zA-Z0-9]{16,}")]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"token-[a-zA-Z0-9]{16,}")]
    private static partial Regex Token();

    [GeneratedRegex(@"eyJ[a-zA-Z0-9_-]{10,}\.eyJ[a-zA-Z0-9_-]{10,}\.[a-zA-Z0-9_-]{10,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"[0-9a-f]{40,}")]
    private static partial Regex HexToken();

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}$")]
    internal static partial Regex PolicySha256();

    /// <summary>(regex, replacement) in the order upstream applies them. The replacements are evaluators, not "$1"
    /// replacement patterns: a pattern string makes the binary carry the whole runtime regex parser just to read it.</summary>
    internal static readonly (Func<Regex> Regex, MatchEvaluator Replacement)[] All =
    [
        (PrivateKey, static _ => "[REDACTED:private-key]"),
        (AnthropicKey, static _ => "[REDACTED:anthropic-key]"),
        (OpenAiKey, static _ => "[REDACTED:openai-key]"),
        (GitHubToken, static _ => "[REDACTED:github-token]"),
        (GitHubPat, static _ => "[REDACTED:github-token]"),
        (SlackToken, static _ => "[REDACTED:slack-token]"),
        (AwsAccessKey, static _ => "[REDACTED:aws-access-key]"),
        (BearerToken, static _ => "[REDACTED:bearer-token]"),
        (ConnectionString, static _ => "[REDACTED:connection-string]"),
        (BasicAuth, static m => m.Groups[1].Value + "[REDACTED:basic-auth]@"),
        (ApiKey, static _ => "[REDACTED:api-key]"),
        (Token, static _ => "[REDACTED:token]"),
        (Jwt, static _ => "[REDACTED:jwt]"),
        (HexToken, static _ => "[REDACTED:hex-token]"),
    ];
}
