using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Langfuse;

/// <summary><c>export --backend langfuse --scores</c> also sends the baseline verdict when the store has a baseline.</summary>
public sealed class LangfuseBaselineTests
{
    private const string PublicKey = "pk-lf-test-0a1b2c3d";
    private const string SecretKey = "sk-lf-SECRET-9f8e7d6c5b4a";

    private static Dictionary<string, string?> Keys() => new()
    {
        ["LANGFUSE_PUBLIC_KEY"] = PublicKey, ["LANGFUSE_SECRET_KEY"] = SecretKey, ["LANGFUSE_HOST"] = null, ["LANGFUSE_BASE_URL"] = null,
    };

    [Test]
    public async Task Scores_WithBaseline_SendBaselineVerdicts()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Store);
        SyntheticStore.AddHistory(dir.Store, 12, 1_790_000_000);
        var update = await AgentStraceCli.RunAsync(["baseline", "update"], dir.Path);
        await Assert.That(update.ExitCode).IsEqualTo(0).Because(update.ToString());
        SyntheticStore.AddSession(dir.Store, "normal-1", 1_790_100_000);
        SyntheticStore.AddSession(dir.Store, "costly-1", 1_790_200_000, inputTokens: 400_000, outputTokens: 40_000);

        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        foreach (string id in new[] { "normal-1", "costly-1" })
        {
            var r = await AgentStraceCli.RunAsync(["export", id, "--scores", "--backend", "langfuse", "--langfuse-host", fake.Url], dir.Path, Keys());
            await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        }
        await Assert.That(fake.Problems).IsEmpty();
        List<JsonElement> verdicts = fake.ScoreRequests.Where(s => s.GetProperty("name").GetString() == "baseline_anomaly").ToList();
        await Assert.That(verdicts.Count).IsEqualTo(2);
        await Assert.That(verdicts[0].GetProperty("value").GetDouble()).IsEqualTo(0);
        await Assert.That(verdicts[1].GetProperty("value").GetDouble()).IsEqualTo(1);
        await Assert.That(verdicts[1].GetProperty("comment").GetString()).Contains("cost_usd");
        await Assert.That(verdicts.All(v => v.GetProperty("dataType").GetString() == "BOOLEAN")).IsTrue();
        await Assert.That(verdicts[0].GetProperty("metadata").GetProperty("source").GetString()).IsEqualTo("agent-strace baseline");
        await Assert.That(verdicts[0].GetProperty("id").GetString()).IsNotEqualTo(verdicts[1].GetProperty("id").GetString());
    }
}
