using System.Diagnostics;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Import.Gemini;
using AgentStrace.Json;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Capture.Agents;

/// <summary>The journal replay's id index: rewrites in place, rewinds and checkpoints forget the removed ids, and a long journal replays in linear time.</summary>
public sealed class GeminiJournalReplayTests
{
    private const string Header = """{"sessionId":"9a8b7c6d-0000-4000-8000-000000000001","projectHash":"p","startTime":"2026-08-10T07:30:00.000Z","kind":"main"}""";

    private static string Msg(string id, string type, int? input = null) =>
        "{\"id\":\"" + id + "\",\"timestamp\":\"2026-08-10T07:30:01.000Z\",\"type\":\"" + type + "\",\"content\":\"x\""
        + (input is int n ? ",\"tokens\":{\"input\":" + n + ",\"output\":1},\"model\":\"gemini-2.5-flash\"" : "") + "}";

    /// <summary>The replayed messages read back from the file where the replay found their last writes.</summary>
    private static List<RawJsonObject> Load(GeminiChat chat, IEnumerable<GeminiMessage> at)
    {
        using GeminiMessages messages = chat.Open();
        return at.Select(messages.LoadCopy).ToList();
    }

    private static GeminiChat Replay(TempDir dir, IEnumerable<string> lines)
    {
        string path = Path.Combine(dir.Path, "session-2026-08-10T07-30-9a8b7c6d.jsonl");
        File.WriteAllLines(path, lines.Prepend(Header));
        return GeminiChat.Read(path, new UnknownRecords());
    }

    [Test]
    public async Task RewritesInPlace_RewindAndCheckpointForgetTheRemovedIds()
    {
        using var dir = new TempDir();
        var chat = Replay(dir,
        [
            Msg("u1", "user"), Msg("g1", "gemini"), Msg("g1", "gemini", 100), Msg("u2", "user"), Msg("g2", "gemini", 200),
            Msg("g1", "gemini", 150),        // a late rewrite of g1 stays in its place
            """{"$rewindTo":"u2"}""",        // u2 and g2 leave the transcript
            Msg("g2", "gemini", 250),        // g2 again: appended, not put back where it was
            Msg("u3", "user"),
        ]);
        List<RawJsonObject> messages = Load(chat, chat.Messages);
        await Assert.That(messages.Select(m => m.GetString("id"u8)).ToList())
            .IsEquivalentTo(new[] { "u1", "g1", "g2", "u3" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(messages[1].GetObject("tokens"u8).GetInt64("input"u8)).IsEqualTo(150);

        var checkpointed = Replay(dir,
        [
            Msg("u1", "user"), Msg("g1", "gemini", 100),
            """{"$set":{"lastUpdated":"2026-08-10T07:31:00.000Z","messages":[{"id":"c1","type":"user","content":"summary"},{"id":"c2","type":"user","content":"kept"}]}}""",
            Msg("g1", "gemini", 120),        // after the checkpoint g1 is a new message at the end
            Msg("c1", "user"),               // and c1 is rewritten in place
        ]);
        List<RawJsonObject> kept = Load(checkpointed, checkpointed.Messages);
        await Assert.That(kept.Select(m => m.GetString("id"u8)).ToList())
            .IsEquivalentTo(new[] { "c1", "c2", "g1" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(kept[0].GetString("content"u8)).IsEqualTo("x"); // c1's rewrite, not the checkpoint's "summary"
        await Assert.That(kept[1].GetString("content"u8)).IsEqualTo("kept"); // read back from inside the checkpoint line
        await Assert.That(Load(checkpointed, [checkpointed.Spent["g1"]])[0].GetObject("tokens"u8).GetInt64("input"u8)).IsEqualTo(120);
    }

    [Test]
    public async Task LongJournal_ReplaysInLinearTime()
    {
        // 40,000 replies, each journaled twice as the CLI does (before and after its tool calls). A scan of the list per
        // write (1.6 billion id reads here) took minutes; the index makes it a fraction of a second, so the bound
        // only has to survive a loaded machine.
        const int Replies = 40_000;
        var lines = new List<string>(2 * Replies);
        for (int i = 0; i < Replies; i++)
        {
            lines.Add(Msg("g" + i, "gemini"));
            lines.Add(Msg("g" + i, "gemini", i));
        }
        using var dir = new TempDir();
        var clock = Stopwatch.StartNew();
        var chat = Replay(dir, lines);
        clock.Stop();
        await Assert.That(chat.Messages.Count).IsEqualTo(Replies);
        await Assert.That(chat.Spent.Count).IsEqualTo(Replies);
        await Assert.That(Load(chat, [chat.Messages[^1]])[0].GetObject("tokens"u8).GetInt64("input"u8)).IsEqualTo(Replies - 1);
        await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(30));
    }
}
