using System.Text.Json;
using AgentStrace.Capture.Redaction;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Capture;

/// <summary>
/// The trigger prefilter only skips rules that cannot match: on every text below, redacting with the prefilter gives
/// exactly what applying every rule in order gives.
/// </summary>
public sealed class RedactionTriggerTests
{
    private static string EveryRule(string text)
    {
        if (text.Length < 8) return text;
        foreach (Pattern pattern in RedactionPatterns.All) text = pattern.Apply(text);
        return text;
    }

    private static IEnumerable<string> Texts()
    {
        foreach (string line in File.ReadLines(Path.Combine(Repo.Fixtures, "secret-vectors", "vectors.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            yield return doc.RootElement.GetProperty("text").GetString()!;
        }
        // Every string in the agent and capture fixtures (transcripts, rollouts, hook payloads).
        foreach (string dir in new[] { "agents", "capture" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Repo.Fixtures, dir), "*.json*", SearchOption.AllDirectories))
            {
                foreach (string line in File.ReadLines(file))
                {
                    yield return line;
                }
            }
        }
        // Case-folding letters in the phrase rule, markers next to tokens, a secret split by a replacement.
        yield return "my paſsword is hunter2!!";
        yield return "the PIN İS 12345678, the pın is 87654321x";
        yield return "ghp_" + new string('a', 20) + "1234567890abcdefghij and then [REDACTED:jwt]sk-ant-" + new string('b', 30);
        yield return "postgres://user:pw@host/db then Bearer abcdefghijklmnop and AKIAABCDEFGHIJKLMNOP";
        yield return "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY next to password=s3cr3t and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc";
    }

    [Test]
    public async Task The_prefilter_changes_no_result()
    {
        int count = 0, redacted = 0;
        foreach (string text in Texts())
        {
            string expected = EveryRule(text);
            await Assert.That(Redactor.On.Text(text)).IsEqualTo(expected);
            count++;
            if (expected != text) redacted++;
        }
        await Assert.That(count).IsGreaterThan(500);
        await Assert.That(redacted).IsGreaterThan(100);
    }

    [Test]
    public async Task The_prefilter_changes_no_result_on_the_shared_real_transcripts()
    {
        // Third-party transcripts are never copied into the repository; they sit beside it where the team shares them.
        string dir = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "fixtures", "real-transcripts"));
        Skip.When(!Directory.Exists(dir), $"the shared transcript corpus is absent ({dir})");
        int count = 0;
        foreach (string file in Directory.EnumerateFiles(dir, "*.jsonl", SearchOption.AllDirectories))
        {
            foreach (string line in File.ReadLines(file))
            {
                await Assert.That(Redactor.On.Text(line)).IsEqualTo(EveryRule(line));
                count++;
            }
        }
        await Assert.That(count).IsGreaterThan(0);
    }

    [Test]
    [Arguments(39, false)]
    [Arguments(40, true)]
    [Arguments(41, false)]
    public async Task The_forty_character_run_is_told_wherever_it_ends(int length, bool expected)
    {
        string run = new('A', length);
        // At the end of the text, before an ASCII separator, before a non-ASCII letter, and after one.
        foreach (string text in new[] { "x " + run, run + " x", run + "é", "é" + run, "a=" + run + "=" })
        {
            bool found = RedactionPatterns.Triggers.Scan(text).Covers(Triggers.Base64Run40);
            await Assert.That(found).IsEqualTo(expected);
        }
        await Assert.That(RedactionPatterns.Triggers.Scan("Bearer " + run).Covers(RedactionPatterns.Triggers.For("Bearer"))).IsTrue();
    }

    [Test]
    public async Task A_name_is_judged_the_same_each_time_and_inside_a_text()
    {
        // The answers are remembered per thread: a second ask, and an ask for the same name inside a longer text, agree.
        string[] names = ["password", "API_KEY", "token_count", "max_tokens", "AWS_SECRET_ACCESS_KEY", "DD_APP_KEY", "file_path",
            "command", "x-api-key", "api_key_source", new string('k', 70) + "password", "Authorization", "pwd", "cwd"];
        bool[] first = names.Select(SensitiveNames.IsSensitive).ToArray();
        await Assert.That(first.Count(b => b)).IsEqualTo(8);
        for (int i = 0; i < names.Length; i++)
        {
            string text = "export " + names[i] + "=value";
            await Assert.That(SensitiveNames.IsSensitive(names[i])).IsEqualTo(first[i]);
            await Assert.That(SensitiveNames.IsSensitive(text.AsSpan(7, names[i].Length))).IsEqualTo(first[i]);
        }
    }
}
