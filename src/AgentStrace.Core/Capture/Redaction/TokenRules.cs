namespace AgentStrace.Capture.Redaction;

/// <summary>
/// Vendor tokens that start with a fixed prefix followed by a run of token characters (the prefixed rules of gitleaks
/// and trufflehog). Each rule: the prefix, a kind for the marker, the run's alphabet and its length bounds; the
/// prefix must not continue a word, and <c>Mixed</c> asks for letters and digits in the run (a hyphenated word such as
/// "task-management-dashboard-v2" is not an "sk-" key).
/// </summary>
internal static class TokenRules
{
    private sealed record Rule(string Prefix, string Kind, Func<char, bool> Body, int Min, int Max = int.MaxValue, bool Mixed = false, bool Boundary = true);

    private static bool Alnum(char c) => char.IsAsciiLetterOrDigit(c);
    private static bool Word(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
    private static bool WordDash(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
    private static bool AlnumDash(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
    private static bool UpperDigit(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);
    private static bool Hex(char c) => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c);
    private static bool UrlPath(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+';

    private static readonly Rule[] s_rules =
    [
        new("sk-ant-", "anthropic-key", WordDash, 20),
        new("sk-lf-", "langfuse-key", AlnumDash, 8),
        new("pk-lf-", "langfuse-key", AlnumDash, 8),
        // sk-proj-, sk-svcacct-, sk-admin-, sk-None- and the legacy sk-<48>: the run includes the dashes and underscores.
        new("sk-", "openai-key", WordDash, 20, Mixed: true),
        new("sk_live_", "stripe-key", Alnum, 10), new("sk_test_", "stripe-key", Alnum, 10),
        new("rk_live_", "stripe-key", Alnum, 10), new("rk_test_", "stripe-key", Alnum, 10),
        new("whsec_", "stripe-key", Alnum, 24),
        new("ghp_", "github-token", Alnum, 30), new("gho_", "github-token", Alnum, 30), new("ghu_", "github-token", Alnum, 30),
        new("ghs_", "github-token", Alnum, 30), new("ghr_", "github-token", Alnum, 30),
        new("github_pat_", "github-token", Word, 22),
        new("glpat-", "gitlab-token", WordDash, 20), new("gldt-", "gitlab-token", WordDash, 20), new("glrt-", "gitlab-token", WordDash, 20),
        new("glptt-", "gitlab-token", WordDash, 20), new("glft-", "gitlab-token", WordDash, 20), new("glsoat-", "gitlab-token", WordDash, 20),
        new("glcbt-", "gitlab-token", WordDash, 20), new("glimt-", "gitlab-token", WordDash, 20), new("gloas-", "gitlab-token", WordDash, 20),
        new("GR1348941", "gitlab-token", WordDash, 20),
        new("xoxb-", "slack-token", AlnumDash, 10), new("xoxp-", "slack-token", AlnumDash, 10), new("xoxa-", "slack-token", AlnumDash, 10),
        new("xoxr-", "slack-token", AlnumDash, 10), new("xoxs-", "slack-token", AlnumDash, 10), new("xoxe-", "slack-token", AlnumDash, 10),
        new("xoxe.xoxp-", "slack-token", AlnumDash, 10), new("xapp-", "slack-token", AlnumDash, 10),
        new("hooks.slack.com/", "slack-webhook", UrlPath, 20, Boundary: false),
        new("AKIA", "aws-access-key", UpperDigit, 16, 16), new("ASIA", "aws-access-key", UpperDigit, 16, 16),
        new("ABIA", "aws-access-key", UpperDigit, 16, 16), new("ACCA", "aws-access-key", UpperDigit, 16, 16),
        new("AIza", "google-api-key", WordDash, 35, 35),
        new("GOCSPX-", "google-oauth-secret", WordDash, 24),
        new("ya29.", "google-oauth-token", WordDash, 20),
        new("hf_", "huggingface-token", Alnum, 30), new("api_org_", "huggingface-token", Alnum, 30),
        new("npm_", "npm-token", Alnum, 36, Mixed: true),
        new("pypi-AgEIcHlwaS5vcmc", "pypi-token", WordDash, 50), new("pypi-AgENdGVzdC5weXBpLm9yZw", "pypi-token", WordDash, 50),
        new("SK", "twilio-key", Hex, 32, 32), new("AC", "twilio-sid", Hex, 32, 32),
        new("NRAK-", "newrelic-key", UpperDigit, 27), new("NRII-", "newrelic-key", WordDash, 20), new("NRJS-", "newrelic-key", Hex, 19),
        new("NRAA-", "newrelic-key", Alnum, 27),
        new("hcaik_", "honeycomb-key", Alnum, 20), new("hcxik_", "honeycomb-key", Alnum, 20), new("hcaak_", "honeycomb-key", Alnum, 20),
        new("hcxak_", "honeycomb-key", Alnum, 20), new("hcxlk_", "honeycomb-key", Alnum, 20), new("hcamk_", "honeycomb-key", Alnum, 20),
        new("dapi", "databricks-token", Hex, 32), new("dop_v1_", "digitalocean-token", Hex, 64), new("doo_v1_", "digitalocean-token", Hex, 64),
        new("shpat_", "shopify-token", Hex, 32), new("shpss_", "shopify-token", Hex, 32), new("ATATT3", "atlassian-token", WordDash, 50),
        new("hvs.", "vault-token", WordDash, 24), new("hvb.", "vault-token", WordDash, 24), new("pul-", "pulumi-token", Hex, 40),
        new("glc_", "grafana-token", Word, 32), new("glsa_", "grafana-token", Word, 32), new("PMAK-", "postman-token", AlnumDash, 50),
        new("lin_api_", "linear-key", Alnum, 40), new("ntn_", "notion-token", Alnum, 40), new("sntrys_", "sentry-token", WordDash, 50),
        new("sbp_", "supabase-token", Hex, 40), new("dckr_pat_", "docker-token", WordDash, 20), new("rubygems_", "rubygems-key", Hex, 48),
        new("key-", "api-key", Alnum, 16, Mixed: true),
        new("token-", "token", Alnum, 16, Mixed: true),
    ];

    /// <summary>
    /// One redaction per rule, in table order (the longer prefixes of a family first). A plain loop, not LINQ: every
    /// hook builds this table, and <c>Select</c> over these tuples is a generic virtual call the runtime resolves
    /// through its type loader on first use (~7 % of a hook's own work).
    /// </summary>
    internal static void AddTo(List<Pattern> patterns, Triggers triggers)
    {
        foreach (Rule rule in s_rules) patterns.Add(new Pattern(s => Apply(rule, s), triggers.For(rule.Prefix)));
    }

    private static string Apply(Rule rule, string s) => SecretShapes.Replace(s, rule.Prefix, (s, i) =>
    {
        if (rule.Boundary && i > 0 && (char.IsAsciiLetterOrDigit(s[i - 1]) || s[i - 1] is '_' or '-' or '.' or '/' or '+')) return -1;
        int start = i + rule.Prefix.Length, j = start;
        bool letter = false, digit = false;
        while (j < s.Length && rule.Body(s[j]))
        {
            letter |= char.IsAsciiLetter(s[j]);
            digit |= char.IsAsciiDigit(s[j]);
            j++;
        }
        int run = j - start;
        if (run < rule.Min || run > rule.Max || (rule.Mixed && !(letter && digit))) return -1;
        // A fixed-length shape must end there: "AKIA" + 16 inside a longer upper-case word is not a key id.
        if (rule.Max != int.MaxValue && j < s.Length && char.IsAsciiLetterOrDigit(s[j])) return -1;
        return j - i;
    }, "[REDACTED:" + rule.Kind + "]");
}
