using System.Buffers;
using System.Text;
using AgentStrace.Compliance;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

public sealed class AuditReadinessTests
{
    // Oldest sample session (9f1c2b7e-5a4d-4c) starts at this time.
    private const double Oldest = 1778140800.412337;

    [Test]
    public async Task Build_SampleStore_ScoresAsTheSpecComputes()
    {
        // now = oldest + 0.41 days: retention 0.41 < 90 days -> -10; chains intact, no legacy, starts within 24h.
        double now = Oldest + 0.41 * 86400;
        ReadinessReport r = AuditReadiness.Build(new TraceStore(Repo.SampleStore), 90, now);
        int expected = 100 - 10;
        await Assert.That(r.Score).IsEqualTo(expected);
        await Assert.That(r.Ready).IsTrue();
        await Assert.That(r.SessionCount).IsEqualTo(3);
        await Assert.That(Math.Round(r.AvailableDays, 2)).IsEqualTo(0.41);
        string text = Render(r);
        string[] upstream =
        [
            "EU AI Act readiness check", "─────────────────────────", "Sessions analysed: 3",
            "OK Hash chain integrity: 3 sessions checked", "WARN Retention coverage: 0.41 / 90.0 days",
            "OK Timestamp continuity: 0 gaps over 24h", "OK Hash chain presence: 0 legacy sessions", "", "Compliance score: 90/100",
        ];
        await Assert.That(text.Split('\n').Where(l => !l.StartsWith("     → ", StringComparison.Ordinal)).SkipLast(1).ToArray())
            .IsEquivalentTo(upstream, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(text).Contains("     → The oldest session is 0.41 days old, 90.0 are required");
    }

    [Test]
    public async Task Build_SampleStoreOldEnough_Scores100()
    {
        ReadinessReport r = AuditReadiness.Build(new TraceStore(Repo.SampleStore), 90, Oldest + 120 * 86400);
        await Assert.That(r.Score).IsEqualTo(100);
        await Assert.That(r.Ready).IsTrue();
    }

    [Test]
    public async Task Build_BrokenLegacyAndGap_SubtractsEachPenalty()
    {
        using TempDir store = Repo.CopySampleStore();
        // A legacy session two days after the others (gap > 24h), and one edited line in session A (broken chain).
        string legacy = Path.Combine(store.Path, "0a1b2c3d4e5f6a7b");
        TempDir.Copy(Path.Combine(Repo.Fixtures, "legacy-store", "0a1b2c3d4e5f6a7b"), legacy);
        TraceStore.UpdateMeta(legacy, m => m.StartedAt = 1778145300.087214 + 2 * 86400);
        StoreTamper.EditByte(ChainVerifierTests.Events(store, "9f1c2b7e-5a4d-4c"), 3);

        ReadinessReport r = AuditReadiness.Build(new TraceStore(store.Path), 90, Oldest + 10 * 86400);
        await Assert.That(r.BrokenSessions).IsEquivalentTo(new[] { "9f1c2b7e-5a4d-4c" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(r.MissingPrevHashes).IsEquivalentTo(new[] { "0a1b2c3d4e5f6a7b" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(r.Gaps.Count).IsEqualTo(1);
        await Assert.That(r.Gaps[0].GapHours).IsEqualTo(48.0);
        int expected = 100 - 35 - 20 - 10 - 10;
        await Assert.That(r.Score).IsEqualTo(expected);
        await Assert.That(r.Ready).IsFalse();
        string text = Render(r);
        await Assert.That(text).Contains("FAIL Hash chain integrity: 4 sessions checked");
        await Assert.That(text).Contains("WARN Hash chain presence: 1 legacy sessions");
        await Assert.That(text).Contains("agent-strace verify");
    }

    [Test]
    public async Task Build_EmptyStore_ScoreZeroNotReady()
    {
        using var dir = new TempDir();
        ReadinessReport r = AuditReadiness.Build(new TraceStore(dir.Path), 90, Oldest);
        await Assert.That(r.Score).IsEqualTo(0);
        await Assert.That(r.Ready).IsFalse();
        await Assert.That(r.RetentionOk).IsFalse();
    }

    [Test]
    public async Task Json_HasUpstreamKeys()
    {
        ReadinessReport r = AuditReadiness.Build(new TraceStore(Repo.SampleStore), 90, Oldest + 0.41 * 86400);
        var buffer = new ArrayBufferWriter<byte>();
        ReadinessView.Json(r, buffer);
        using var doc = System.Text.Json.JsonDocument.Parse(buffer.WrittenMemory);
        var root = doc.RootElement;
        await Assert.That(root.GetProperty("framework").GetString()).IsEqualTo("eu-ai-act");
        await Assert.That(root.GetProperty("compliance_score").GetInt32()).IsEqualTo(90);
        await Assert.That(root.GetProperty("ready").GetBoolean()).IsTrue();
        var retention = root.GetProperty("checks").GetProperty("retention_coverage");
        await Assert.That(retention.GetProperty("available_days").GetDouble()).IsEqualTo(0.41);
        await Assert.That(retention.GetProperty("required_days").GetRawText()).IsEqualTo("90.0");
        await Assert.That(retention.GetProperty("action").GetString()).Contains("--retention-days");
    }

    private static string Render(ReadinessReport r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ReadinessView.Text(r, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
