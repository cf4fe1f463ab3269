using System.Buffers;
using System.Text;
using AgentStrace.Compliance;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

public sealed class ChainVerifierTests
{
    private const string A = "9f1c2b7e-5a4d-4c";

    [Test]
    [Arguments("9f1c2b7e-5a4d-4c", 14, "f0dfec7915b9fffd8faa3c728279d043946bd52d9e9b1092ca8a5dad21c392e8")]
    [Arguments("b41d7e09c2a84f65", 9, "6c219f7c50426756413e650305b33d0db3c0d0780f5aa60de9778e6a461c9337")]
    [Arguments("c7a05e3f91d24b68", 14, "cf24891f923f28a567d3dfb3c2c60d97bf92b8a9c30cd11342abe8838ba37eb9")]
    public async Task Verify_SampleSession_IntactWithExpectedText(string id, int events, string rootHash)
    {
        ChainResult r = ChainVerifier.Verify(id, Path.Combine(Repo.SampleStore, id, "events.ndjson"));
        await Assert.That(r.Ok).IsTrue();
        await Assert.That(r.Status).IsEqualTo(ChainStatus.Intact);
        await Assert.That(r.TotalEvents).IsEqualTo(events);
        await Assert.That(r.RootHash).IsEqualTo(rootHash);
        await Assert.That(Render(r)).IsEqualTo($"✅ Chain intact — {events} events verified\n");
    }

    [Test]
    public async Task Verify_EditedByte_BreaksAtNextLineAndNamesIt()
    {
        using TempDir store = Repo.CopySampleStore();
        string path = Events(store, A);
        string[] before = StoreTamper.Lines(path);
        StoreTamper.EditByte(path, 5);
        ChainResult r = ChainVerifier.Verify(A, path);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.BrokenAt).IsEqualTo(5);
        await Assert.That(r.BrokenLine).IsEqualTo(6);
        await Assert.That(r.BrokenEventId).IsEqualTo(EventId(before[5]));
        string text = Render(r);
        await Assert.That(text).StartsWith($"❌ Chain broken at event #5 (id={EventId(before[5])})\n   14 events checked — session may have been tampered with\n");
        await Assert.That(text).Contains("events.ndjson line 6");
    }

    [Test]
    public async Task Verify_DeletedLine_Breaks()
    {
        using TempDir store = Repo.CopySampleStore();
        string path = Events(store, A);
        string[] before = StoreTamper.Lines(path);
        StoreTamper.DeleteLine(path, 5);
        ChainResult r = ChainVerifier.Verify(A, path);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.BrokenAt).IsEqualTo(4);
        await Assert.That(r.BrokenLine).IsEqualTo(5);
        await Assert.That(r.BrokenEventId).IsEqualTo(EventId(before[5]));
    }

    [Test]
    public async Task Verify_SwappedLines_Breaks()
    {
        using TempDir store = Repo.CopySampleStore();
        string path = Events(store, A);
        string[] before = StoreTamper.Lines(path);
        StoreTamper.Swap(path, 5, 6);
        ChainResult r = ChainVerifier.Verify(A, path);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.BrokenAt).IsEqualTo(4);
        await Assert.That(r.BrokenEventId).IsEqualTo(EventId(before[5]));
    }

    [Test]
    public async Task Verify_AppendedForgedLine_BreaksAtIt()
    {
        using TempDir store = Repo.CopySampleStore();
        string path = Events(store, A);
        StoreTamper.AppendForged(path);
        ChainResult r = ChainVerifier.Verify(A, path);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.BrokenAt).IsEqualTo(14);
        await Assert.That(r.BrokenLine).IsEqualTo(15);
        await Assert.That(r.BrokenEventId).IsEqualTo("f0f0f0f0f0f0");
    }

    [Test]
    public async Task Verify_FirstLineWithPrevHash_BreaksAtZero()
    {
        using TempDir store = Repo.CopySampleStore();
        string path = Events(store, A);
        StoreTamper.DeleteLine(path, 1);
        ChainResult r = ChainVerifier.Verify(A, path);
        await Assert.That(r.BrokenAt).IsEqualTo(0);
        await Assert.That(r.Reason).Contains("first event");
    }

    [Test]
    public async Task Verify_UpstreamLegacySession_IsLegacyNotBroken()
    {
        string id = "0a1b2c3d4e5f6a7b";
        ChainResult r = ChainVerifier.Verify(id, Path.Combine(Repo.Fixtures, "legacy-store", id, "events.ndjson"));
        await Assert.That(r.Ok).IsTrue();
        await Assert.That(r.Status).IsEqualTo(ChainStatus.Legacy);
        await Assert.That(r.UnlinkedEvents).IsEqualTo(13);
        await Assert.That(Render(r)).StartsWith("➖ Legacy session — 14 events recorded without a hash chain");
    }

    [Test]
    public async Task Verify_SomeLinesWithoutPrevHash_IsPartialAndOk()
    {
        using TempDir store = Repo.CopySampleStore();
        string path = Events(store, A);
        string[] lines = StoreTamper.Lines(path);
        // A pre-v0.62 writer appended the last line: no prev_hash, but the earlier links still hold.
        lines[^1] = System.Text.RegularExpressions.Regex.Replace(lines[^1], ",\"prev_hash\":\"[0-9a-f]{64}\"", "");
        StoreTamper.Write(path, lines);
        ChainResult r = ChainVerifier.Verify(A, path);
        await Assert.That(r.Ok).IsTrue();
        await Assert.That(r.Status).IsEqualTo(ChainStatus.Partial);
        await Assert.That(r.UnlinkedEvents).IsEqualTo(1);
    }

    [Test]
    public async Task Verify_UnparsableLine_IsSkippedAsUpstreamDoes()
    {
        using TempDir store = Repo.CopySampleStore();
        string path = Events(store, A);
        var lines = StoreTamper.Lines(path).ToList();
        lines.Insert(3, "{not json");
        lines.Insert(5, "");
        StoreTamper.Write(path, lines);
        ChainResult r = ChainVerifier.Verify(A, path);
        await Assert.That(r.Ok).IsTrue();
        await Assert.That(r.TotalEvents).IsEqualTo(14);
        await Assert.That(r.UnparsableLines).IsEqualTo(1);
    }

    [Test]
    public async Task Verify_MissingFileAndEmptyFile()
    {
        using var dir = new TempDir();
        ChainResult missing = ChainVerifier.Verify("s", Path.Combine(dir.Path, "events.ndjson"));
        await Assert.That(missing.Ok).IsFalse();
        await Assert.That(missing.BrokenAt).IsEqualTo(0);
        File.WriteAllText(Path.Combine(dir.Path, "events.ndjson"), "\n\n");
        ChainResult empty = ChainVerifier.Verify("s", Path.Combine(dir.Path, "events.ndjson"));
        await Assert.That(empty.Ok).IsTrue();
        await Assert.That(empty.Status).IsEqualTo(ChainStatus.Empty);
        await Assert.That(Render(empty)).IsEqualTo("✅ Chain intact — 0 events verified\n");
    }

    [Test]
    public async Task Verify_SessionWrittenByEventWriter_IsIntact()
    {
        using var dir = new TempDir();
        var store = new TraceStore(dir.Path);
        SessionInfo s = store.Create(new SessionMeta { SessionId = "abc123", StartedAt = 1778140800.5 });
        var writer = new EventWriter(s.Directory);
        for (int i = 0; i < 50; i++)
        {
            writer.Append(new TraceEvent { Type = EventType.Decision, Timestamp = 1778140800.5 + i, EventId = Ids.NewEventId(), SessionId = "abc123", Data = new RawJsonObject(Encoding.UTF8.GetBytes($"{{\"choice\":\"c{i}\"}}")) });
        }
        ChainResult r = ChainVerifier.Verify(s);
        await Assert.That(r.Ok).IsTrue();
        await Assert.That(r.Status).IsEqualTo(ChainStatus.Intact);
        await Assert.That(r.TotalEvents).IsEqualTo(50);
    }

    [Test]
    public async Task Json_HasUpstreamKeysFirst()
    {
        ChainResult r = ChainVerifier.Verify(A, Path.Combine(Repo.SampleStore, A, "events.ndjson"));
        var buffer = new ArrayBufferWriter<byte>();
        ChainReport.Json(r, buffer);
        string json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        await Assert.That(json).StartsWith("{\n  \"session_id\": \"9f1c2b7e-5a4d-4c\",\n  \"ok\": true,\n  \"total_events\": 14,\n  \"broken_at\": null,\n  \"broken_event_id\": \"\",");
    }

    internal static string Events(TempDir store, string id) => Path.Combine(store.Path, id, "events.ndjson");

    internal static string EventId(string line) => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("event_id").GetString()!;

    private static string Render(ChainResult r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ChainReport.Text(r, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
