using System.Text;
using AgentStrace.Capture.Import;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Capture.Agents;

/// <summary>
/// The fast paths of the Codex and Gemini readers give what the general ones gave: times read digit by digit, Codex
/// lines skipped from their head (their time still counts; a damaged one is still reported), and events handed from a
/// reader thread to the writer in order, with the reader's failure rethrown.
/// </summary>
public sealed class AgentReadPathTests
{
    private const string Sid = "019da100-0000-7000-8000-0000000000f5";

    [Test]
    [Arguments("2026-04-20T10:00:00.123Z")]
    [Arguments("2024-02-29T23:59:59.999Z")]
    [Arguments("2023-02-29T10:00:00.000Z")] // no such day: the general parser decides
    [Arguments("2026-04-20T24:00:00.000Z")]
    [Arguments("2026-04-20T10:00:00Z")]
    [Arguments("2026-04-20T10:00:00.123456Z")]
    [Arguments("2026-04-20T10:00:00.123+02:00")]
    [Arguments("2026-04-20X10:00:00.123Z")]
    [Arguments("")]
    public async Task IsoTime_GivesWhatTheGeneralParserGives(string text)
    {
        await Assert.That(IsoTime.Parse(Encoding.UTF8.GetBytes(text))).IsEqualTo(TranscriptReader.ParseTime(text));
    }

    private static string Line(string time, string type, string payload) =>
        $"{{\"timestamp\":\"2026-04-20T10:{time}.000Z\",\"type\":\"{type}\",\"payload\":{payload}}}";

    private const string Totals = "{\"input_tokens\":1000,\"cached_input_tokens\":0,\"output_tokens\":50,\"reasoning_output_tokens\":0,\"total_tokens\":1050}";

    private static string TokenCount(string time) =>
        Line(time, "event_msg", "{\"type\":\"token_count\",\"info\":{\"total_token_usage\":" + Totals + ",\"last_token_usage\":" + Totals + "},\"rate_limits\":null}");

    [Test]
    public async Task Codex_LinesSkippedByTheirHead_KeepTheirTime_AndADamagedOneIsReported()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "rollout-2026-04-20T10-00-00-" + Sid + ".jsonl");
        File.WriteAllLines(file,
        [
            Line("00:00", "session_meta", $"{{\"id\":\"{Sid}\",\"timestamp\":\"2026-04-20T10:00:00.000Z\",\"cwd\":\"/w\",\"cli_version\":\"0.122.0\"}}"),
            Line("00:01", "turn_context", "{\"model\":\"gpt-5.1-codex\"}"),
            Line("00:02", "event_msg", "{\"type\":\"user_message\",\"message\":\"hello\"}"),
            Line("00:03", "response_item", "{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"thinking\"}]}"),
            Line("00:04", "event_msg", "{\"type\":\"agent_reasoning\",\"text\":\"thinking\"}"), // the reasoning item's echo
            TokenCount("00:05"),
            TokenCount("00:06"),                                                                // totals re-sent: skipped
            TokenCount("00:07")[..^1],                                                          // damaged: parsed and reported
            Line("09:00", "response_item", "{\"type\":\"ghost_snapshot\",\"ghost_commit\":{}}"), // the last line: only its time
        ]);
        using var store = new TempDir();
        var importer = new AgentImporter(new TraceStore(store.Path), Redactor.Off);
        List<ImportResult> results = importer.Import(file);

        await Assert.That(results.Single().LlmRequests).IsEqualTo(1);
        await Assert.That(importer.Unknown.Counts.Values.Sum()).IsEqualTo(1);
        await Assert.That(importer.Unknown.Kinds.Single()).Contains("(unparsable line)");
        var events = File.ReadAllLines(Path.Combine(store.Path, Sid, "events.ndjson")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        await Assert.That(events.Count(e => e.Type() == "decision")).IsEqualTo(1);
        // The session ends at the skipped ghost snapshot, nine minutes in.
        double end = TranscriptReader.ParseTime("2026-04-20T10:09:00.000Z");
        await Assert.That(events[^1].Type()).IsEqualTo("session_end");
        await Assert.That(events[^1].GetProperty("timestamp").GetDouble()).IsEqualTo(end);
    }

    private static TraceEvent Event(int i) => new() { Type = EventType.Decision, Timestamp = i, EventId = "e" + i };

    private static IEnumerable<TraceEvent> Failing(int count, List<string> log)
    {
        try
        {
            for (int i = 0; i < count; i++) yield return Event(i);
            throw new InvalidOperationException("reader failed at " + count);
        }
        finally
        {
            lock (log) log.Add("reader ended");
        }
    }

    [Test]
    public async Task Prefetch_HandsOverInOrder_RethrowsTheReadersFailure_AndStopsWithTheCaller()
    {
        var log = new List<string>();
        var seen = new List<string>();
        InvalidOperationException? failure = null;
        try
        {
            foreach (TraceEvent e in Prefetch.Events(Failing(10_000, log))) seen.Add(e.EventId);
        }
        catch (InvalidOperationException ex)
        {
            failure = ex;
        }
        await Assert.That(seen).IsEquivalentTo(Enumerable.Range(0, 10_000).Select(i => "e" + i), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(failure?.Message).IsEqualTo("reader failed at 10000");

        // A caller that stops early stops the reader (which is blocked on a full queue) before it returns.
        log.Clear();
        using (IEnumerator<TraceEvent> events = Prefetch.Events(Failing(100_000, log)).GetEnumerator())
        {
            for (int i = 0; i < 10; i++) await Assert.That(events.MoveNext()).IsTrue();
        }
        lock (log) seen = [.. log];
        await Assert.That(seen).IsEquivalentTo(new[] { "reader ended" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }
}
