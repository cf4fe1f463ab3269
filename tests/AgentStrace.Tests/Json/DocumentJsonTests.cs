using System.Text;
using AgentStrace.Analysis;
using AgentStrace.Errors;
using AgentStrace.Langfuse;
using AgentStrace.Live.Spool;
using AgentStrace.Ship;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Json;

/// <summary>
/// The fixed-shape documents go through the source-generated context: the bytes are those the hand-written writers
/// produced, and a damaged file gives one worded line, not a serializer stack trace.
/// </summary>
public sealed class DocumentJsonTests
{
    [Test]
    public async Task Checkpoint_Save_WritesTheIndentedSnakeCaseShape()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "checkpoint.json");
        Checkpoint c = Checkpoint.Load(path);
        c.SetSpool(3, 1234);
        c.SetSession("s1", 42, finished: true);
        c.Save();
        const string Expected = "{\n  \"version\": 1,\n  \"spool_generation\": 3,\n  \"spool_acked\": 1234,\n  \"sessions\": {\n"
            + "    \"s1\": {\n      \"offset\": 42,\n      \"finished\": true\n    }\n  }\n}";
        await Assert.That(File.ReadAllText(path).ReplaceLineEndings("\n")).IsEqualTo(Expected);
        Checkpoint again = Checkpoint.Load(path);
        await Assert.That(again.SpoolAcked).IsEqualTo(1234);
        await Assert.That(again.Get("s1")).IsEqualTo(new SessionProgress(42, true));
    }

    [Test]
    [Arguments("not json")]
    [Arguments("null")]
    [Arguments("[1, 2]")]
    [Arguments("{\"spool_generation\": 1, \"spool_acked\": 2}")]
    [Arguments("{\"spool_generation\": \"one\", \"spool_acked\": 2, \"sessions\": {}}")]
    [Arguments("{\"spool_generation\": 1, \"spool_acked\": 2, \"sessions\": {\"s\": {\"offset\": 1.5, \"finished\": true}}}")]
    public async Task Checkpoint_Damaged_IsOneWordedLine(string content)
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "checkpoint.json");
        File.WriteAllText(path, content);
        StoreCorruptException? ex = Assert.Throws<StoreCorruptException>(() => Checkpoint.Load(path));
        await Assert.That(ex!.Message).Contains("is not a valid watch checkpoint (");
        await Assert.That(ex.Message).DoesNotContain("\n");
        await Assert.That(ex.Message).DoesNotContain("   at ");
    }

    [Test]
    public async Task ShipState_RoundTrips_AndDamagedIsOneLine()
    {
        using var temp = new TempDir();
        ShipState s = ShipState.Load(temp.Path);
        s.Advance("a", 100, finished: false, spans: 3);
        s.Skip("b", 7, "filtered out");
        ShipState again = ShipState.Load(temp.Path);
        await Assert.That(again.Get("a")).IsEqualTo(new ShippedSession(100, false, ""));
        await Assert.That(again.Get("b")).IsEqualTo(new ShippedSession(7, true, "filtered out"));
        await Assert.That(again.DeliveredSpans).IsEqualTo(3);
        string text = File.ReadAllText(ShipState.PathOf(temp.Path));
        await Assert.That(text).Contains("\"skipped\": \"filtered out\"");
        await Assert.That(text.IndexOf("\"skipped\"", StringComparison.Ordinal)).IsEqualTo(text.LastIndexOf("\"skipped\"", StringComparison.Ordinal));

        File.WriteAllText(ShipState.PathOf(temp.Path), "{\"last_success_at\": 0}");
        StoreCorruptException? ex = Assert.Throws<StoreCorruptException>(() => ShipState.Load(temp.Path));
        await Assert.That(ex!.Message).Contains("is not a valid shipping state (");
        await Assert.That(ex.Message).DoesNotContain("\n");
    }

    [Test]
    public async Task Outbox_AppendsCompactEntries_AndRemovesDamagedOnes()
    {
        using var temp = new TempDir();
        Outbox.Append(temp.Path, new OutboxEntry("sess-1", 10, true, 1.5, [new("host.name", "box"), new("ci", "yes")]));
        string file = Directory.GetFiles(Outbox.Dir(temp.Path)).Single();
        await Assert.That(File.ReadAllText(file)).IsEqualTo("{\"session_id\":\"sess-1\",\"offset\":10,\"final\":true,\"at\":1.5,\"resource\":{\"host.name\":\"box\",\"ci\":\"yes\"}}");
        File.WriteAllText(Path.Combine(Outbox.Dir(temp.Path), "1-1-x.json"), "{\"session_id\":\"x\",\"offset\":\"ten\"}");
        var warnings = new List<string>();
        List<OutboxEntry> list = Outbox.List(temp.Path, warnings.Add);
        await Assert.That(list.Count).IsEqualTo(1);
        await Assert.That(list[0].Resource.Select(r => r.Key + "=" + r.Value)).IsEquivalentTo(new[] { "host.name=box", "ci=yes" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(warnings.Single()).Contains("removed a damaged outbox entry 1-1-x.json");
    }

    [Test]
    public async Task LangfuseScoreBatch_IsCompactCamelCase()
    {
        var score = new LangfuseScore
        {
            Id = "id1", TraceId = "t1", Name = "judge", Value = 0.5, Comment = "c", SessionId = "s1", Timestamp = 1_700_000_000.25,
            Source = new EvalScore("judge", 0.5, 1.0, false, ""),
        };
        string body = Encoding.UTF8.GetString(LangfuseScoreBatch.Serialize([score]));
        const string ExpectedBody = "\"timestamp\":\"2023-11-14T22:13:20.250Z\",\"type\":\"score-create\",\"body\":{\"id\":\"id1\",\"traceId\":\"t1\","
            + "\"name\":\"judge\",\"value\":0.5,\"dataType\":\"NUMERIC\",\"comment\":\"c\","
            + "\"metadata\":{\"source\":\"agent-strace eval.json\",\"agent_strace_session_id\":\"s1\",\"threshold\":1,\"passed\":false}}}]}";
        await Assert.That(body).StartsWith("{\"batch\":[{\"id\":\"");
        await Assert.That(body).EndsWith(ExpectedBody);
    }

    [Test]
    [Arguments("{\"reason\": \"budget exceeded\"}", "budget exceeded")]
    [Arguments("{\"reason\": 3}", "terminated")]
    [Arguments("[]", "terminated")]
    [Arguments("{", "terminated")]
    public async Task Postmortem_Reason_FallsBackToTerminated(string content, string expected)
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, PostmortemFile.FileName), content);
        await Assert.That(PostmortemFile.ReadReason(temp.Path)).IsEqualTo(expected);
    }
}
