using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>Secrets stay out of the store whichever way they arrive: hook payloads (also when the tool output is cut),
/// imported transcripts and MCP traffic recorded by <c>record</c>.</summary>
public sealed class RedactionCliTests
{
    private static readonly Dictionary<string, string?> s_env = new() { ["CLAUDE_PROJECT_DIR"] = null, ["AGENT_STRACE_NO_REDACT"] = null, ["AGENT_TRACE_NO_REDACT"] = null };

    // Synthetic shapes, not real keys.
    private const string ProjectKey = "sk-proj-Zq3Wx8Yv1Ut6Sr5Qp4On2Ml9Kj7Ih0Gf_Ed-Cb3Aa9Zq8Wx7Yv6Ut5Sr4Qp3On2T3BlbkFJMl1Kj0Ih9Gf8Ed7Cb6Aa5";
    private const string AwsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9KEYsEcR3";
    private static readonly string s_pemBody = string.Join("\n", Enumerable.Range(0, 30).Select(i => "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + i.ToString("D2") + "KcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"));

    private static string Q(string s) => "\"" + JsonEncodedText.Encode(s, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";

    [Test]
    public async Task Hook_LongToolOutputWithAPrivateKey_IsRedactedBeforeItIsCut()
    {
        using var t = new TempDir();
        string output = "$ cat id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n" + s_pemBody + "\n-----END RSA PRIVATE KEY-----\n";
        string post = "{\"session_id\":\"redact-cut-0001\",\"cwd\":" + Q(t.Path) + ",\"tool_name\":\"Bash\",\"tool_use_id\":\"toolu_1\"," +
            "\"tool_input\":{\"command\":" + Q("export AWS_SECRET_ACCESS_KEY=" + AwsSecret + " && cat id_rsa") + "}," +
            "\"tool_response\":{\"stdout\":" + Q(output) + ",\"stderr\":\"\",\"env\":{\"OPENAI_API_KEY\":" + Q(ProjectKey) + "}}}";
        await Assert.That(output.Length).IsGreaterThan(1500);
        CliResult r = await AgentStraceCli.RunAsync(["hook", "PostToolUse"], t.Path, s_env, post);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        string stored = File.ReadAllText(Path.Combine(t.Store, "redact-cut-0001", "events.ndjson"));
        await Assert.That(stored).Contains("[REDACTED:private-key]");
        await Assert.That(stored).DoesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
        await Assert.That(stored).DoesNotContain(ProjectKey[..20]);
        await Assert.That(stored).DoesNotContain(AwsSecret);
    }

    [Test]
    public async Task Hook_SecretUsedAsAJsonKey_IsRedacted()
    {
        using var t = new TempDir();
        string token = "ghp_" + new string('a', 10) + "B1c2D3e4F5g6H7i8J9k0L1m2";
        string pre = "{\"session_id\":\"redact-key-0001\",\"cwd\":" + Q(t.Path) +
                     ",\"tool_name\":\"Write\",\"tool_use_id\":\"toolu_2\",\"tool_input\":{\"tokens\":{\"" + token + "\":\"repo\"}}}";
        CliResult r = await AgentStraceCli.RunAsync(["hook", "PreToolUse"], t.Path, s_env, pre);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        string stored = File.ReadAllText(Path.Combine(t.Store, "redact-key-0001", "events.ndjson"));
        await Assert.That(stored).DoesNotContain(token);
        await Assert.That(stored).Contains("[REDACTED:github-token]");
    }

    [Test]
    public async Task Import_TranscriptSecrets_AreRedactedBeforeTheTextIsCut()
    {
        using var t = new TempDir();
        string sid = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
        string big = new string('.', 1980) + " key " + ProjectKey; // the key straddles the 2,000-character cut
        string line1 = "{\"type\":\"user\",\"uuid\":\"u1\",\"sessionId\":\"" + sid + "\",\"timestamp\":\"2026-12-07T01:00:00.000Z\"," +
            "\"message\":{\"role\":\"user\",\"content\":" + Q(big) + "}}";
        string file = Path.Combine(t.Path, sid + ".jsonl");
        File.WriteAllText(file, line1 + "\n");
        CliResult r = await AgentStraceCli.RunAsync(["import", file], t.Path, new Dictionary<string, string?>(s_env) { ["AGENT_STRACE_DIR"] = t.Store });
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        string stored = string.Concat(Directory.GetFiles(t.Store, "events.ndjson", SearchOption.AllDirectories).Select(File.ReadAllText));
        // Cut first, 15 characters of the key ("sk-proj-Zq3Wx8Y") would be stored; redacted first, the marker is dropped
        // whole at the cut (never half a marker) and nothing of the key remains.
        await Assert.That(stored).DoesNotContain("sk-proj-");
        await Assert.That(stored).Contains(" key \"}");
    }
}
