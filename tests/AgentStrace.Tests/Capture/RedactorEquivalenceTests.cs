using System.Text;
using System.Text.RegularExpressions;
using AgentStrace.Capture.Redaction;

namespace AgentStrace.Tests.Capture;

/// <summary>
/// SecretShapes matches the literal-prefixed secret patterns by hand (to keep SearchValues&lt;string&gt; out of the
/// binary); these tests hold every shape, and the whole redaction, to the original regexes on generated input.
/// </summary>
public sealed class RedactorEquivalenceTests
{
    private static readonly (string Pattern, string Replacement)[] s_upstream =
    [
        (@"-----BEGIN (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----", "[REDACTED:private-key]"),
        (@"sk-ant-[a-zA-Z0-9\-]{20,}", "[REDACTED:anthropic-key]"),
        (@"sk-[a-zA-Z0-9]{20,}", "[REDACTED:openai-key]"),
        (@"gh[ps]_[a-zA-Z0-9]{36,}", "[REDACTED:github-token]"),
        (@"github_pat_[a-zA-Z0-9_]{22,}", "[REDACTED:github-token]"),
        (@"xox[bpras]-[a-zA-Z0-9\-]{10,}", "[REDACTED:slack-token]"),
        (@"AKIA[0-9A-Z]{16}", "[REDACTED:aws-access-key]"),
        (@"Bearer\s+[a-zA-Z0-9\-._~+/]+=*", "[REDACTED:bearer-token]"),
        (@"(postgres|mysql|mongodb|redis|amqp)://[^\s]+", "[REDACTED:connection-string]"),
        (@"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s:@]+:[^/\s@]+)@", "$1[REDACTED:basic-auth]@"),
        (@"key-[a-zA-Z0-9]{16,}", "[REDACTED:api-key]"),
        (@"token-[a-zA-Z0-9]{16,}", "[REDACTED:token]"),
        (@"eyJ[a-zA-Z0-9_-]{10,}\.eyJ[a-zA-Z0-9_-]{10,}\.[a-zA-Z0-9_-]{10,}", "[REDACTED:jwt]"),
        (@"[0-9a-f]{40,}", "[REDACTED:hex-token]"),
    ];

    private static readonly string[] s_fragments =
    [
        "sk-", "sk-ant-", "gh", "p", "s", "_", "github_pat_", "xox", "b", "r", "-", "AKIA", "Bearer", "Bearer ", " ", "\t", "\n",
        "\u00a0", "\u2028", "\u0085", "=", "==", ".", "eyJ", ".eyJ", "postgres", "mysql", "mongodb", "redis", "amqp", "://", "@",
        ":", "/", "key-", "token-", "-----BEGIN ", "-----END ", "RSA ", "EC ", "DSA ", "OPENSSH ", "PRIVATE KEY-----", "~", "+",
        "é", "Z", "x", "https://", "u:p@", "deadbeef", "ghp_", "ghs_", "gho_", "xoxb-", "xoxs-", "xoxz-", "github_pat_",
        "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----",
        "-----BEGIN OPENSSH PRIVATE KEY-----", "-----END EC PRIVATE KEY-----", "-----END DSA PRIVATE KEY----", "-----BEGIN RSA PUBLIC KEY-----",
        "eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiIxMjM0NTY3ODkwIn0", ".SflKxwRJSMeKKF2QT4fw", "postgres://", "redis://h", "AKIAIOSFODNN7EXAMPLE",
        "ftp://user:pw@", "a1+b.c-d://x:y:z@", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.", "eyJhbGciOiJIUzI1NiJ9.eyJ", "eyJshort.eyJ",
    ];

    private const string Alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static IEnumerable<Func<int>> ShapeIndexes() => Enumerable.Range(0, s_upstream.Length).Select(i => (Func<int>)(() => i));

    [Test]
    [MethodDataSource(nameof(ShapeIndexes))]
    public async Task EachRedaction_MatchesItsRegex_OnGeneratedInput(int index)
    {
        var regex = new Regex(s_upstream[index].Pattern);
        var random = new Random(1000 + index);
        int redacted = 0;
        for (int n = 0; n < 8000; n++)
        {
            string input = Generate(random);
            string expected = regex.Replace(input, s_upstream[index].Replacement);
            string actual = RedactionPatterns.All[index](input);
            if (actual != expected) await Assert.That(actual).IsEqualTo(expected).Because($"input: {Escape(input)}");
            if (expected != input) redacted++;
        }
        // The generator must actually produce secrets of this shape, or the comparison proves nothing.
        await Assert.That(redacted).IsGreaterThan(40);
    }

    [Test]
    public async Task Text_MatchesTheRegexChain_OnGeneratedInput()
    {
        var chain = s_upstream.Select(p => (Regex: new Regex(p.Pattern), p.Replacement)).ToArray();
        var random = new Random(7);
        for (int n = 0; n < 8000; n++)
        {
            string input = Generate(random);
            string expected = input.Length < 8 ? input : chain.Aggregate(input, (s, p) => p.Regex.Replace(s, p.Replacement));
            string actual = Redactor.On.Text(input);
            if (actual != expected) await Assert.That(actual).IsEqualTo(expected).Because($"input: {Escape(input)}");
        }
    }

    private static string Generate(Random random)
    {
        var sb = new StringBuilder();
        int parts = random.Next(1, 24);
        for (int p = 0; p < parts; p++)
        {
            bool fragment = random.Next(3) != 0;
            if (fragment) sb.Append(s_fragments[random.Next(s_fragments.Length)]);
            // Secrets are a literal followed by a run, so a run often follows a fragment.
            if (!fragment || random.Next(2) == 0)
            {
                int run = random.Next(0, 46);
                string alphabet = random.Next(4) switch { 0 => "0123456789abcdef", 1 => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", _ => Alnum };
                for (int c = 0; c < run; c++) sb.Append(alphabet[random.Next(alphabet.Length)]);
            }
        }
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("\n", "\\n").Replace("\t", "\\t");
}
