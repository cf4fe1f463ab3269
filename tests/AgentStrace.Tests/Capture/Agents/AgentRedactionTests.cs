using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Redaction;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Capture.Agents;

/// <summary>Codex and Gemini texts are redacted before they are cut, as Claude transcripts are.</summary>
public sealed class AgentRedactionTests
{
    private const string ProjectKey = "sk-proj-Zq3Wx8Yv1Ut6Sr5Qp4On2Ml9Kj7Ih0Gf_Ed-Cb3Aa9Zq8Wx7Yv6Ut5Sr4Qp3On2T3BlbkFJMl1Kj0Ih9Gf8Ed7Cb6Aa5";

    // The key straddles the 2,000-character cut: cut first, "sk-proj-Zq3Wx8Y" would be stored.
    private static readonly string s_prompt = new string('.', 1980) + " key " + ProjectKey;

    [Test]
    public async Task Codex_PromptSecretAcrossTheCut_IsRedactedBeforeTheCut()
    {
        string rollout =
            """{"timestamp":"2026-04-20T10:00:00.100Z","type":"session_meta","payload":{"id":"019da100-0000-7000-8000-00000000e1e1","timestamp":"2026-04-20T10:00:00.000Z","cwd":"/work/demo","originator":"codex_cli_rs","cli_version":"0.122.0","source":"cli","model_provider":"openai"}}""" + "\n" +
            """{"timestamp":"2026-04-20T10:00:01.031Z","type":"event_msg","payload":{"type":"user_message","message":"PROMPT","images":[]}}""".Replace("PROMPT", s_prompt, StringComparison.Ordinal) + "\n";
        await AssertNoKey("rollout-2026-04-20T10-00-00-019da100-0000-7000-8000-00000000e1e1.jsonl", rollout);
    }

    [Test]
    public async Task Gemini_PromptSecretAcrossTheCut_IsRedactedBeforeTheCut()
    {
        string chat =
            """{"sessionId":"9f0c2b1e-1111-4222-8333-444455556666","projectHash":"abc","startTime":"2026-04-20T10:00:00.000Z","lastUpdated":"2026-04-20T10:00:05.000Z","kind":"main"}""" + "\n" +
            """{"id":"m1","timestamp":"2026-04-20T10:00:01.000Z","type":"user","content":"PROMPT"}""".Replace("PROMPT", s_prompt, StringComparison.Ordinal) + "\n";
        await AssertNoKey("session-2026-04-20T10-00-9f0c2b1e.jsonl", chat);
    }

    private static async Task AssertNoKey(string fileName, string content)
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, fileName);
        File.WriteAllText(file, content);
        string store = Path.Combine(dir.Path, "store");
        Directory.CreateDirectory(store);
        var importer = new AgentImporter(new TraceStore(store), Redactor.For(true));
        await Assert.That(importer.Import(file).Count).IsEqualTo(1);
        string stored = string.Concat(Directory.GetFiles(store, "events.ndjson", SearchOption.AllDirectories).Select(File.ReadAllText));
        await Assert.That(stored).Contains(" key ");
        await Assert.That(stored).DoesNotContain("sk-proj-");
    }
}
