using System.Text;
using AgentStrace.Capture.Import;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Import.Codex;
using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;
using static AgentStrace.Tests.Capture.StoredRedaction;

namespace AgentStrace.Tests.Capture.Agents;

/// <summary>
/// How a Codex or Gemini CLI import writes: every value redacted once by the mapper (texts before they are cut), the
/// writer only flagging; requests kept before the events they precede however many come between two model calls.
/// </summary>
public sealed class AgentImportWriteTests
{
    private const string CodexId = "019da100-0000-7000-8000-00000000d1d1";
    private const string GeminiId = "9f0c2b1e-2222-4222-8333-444455556666";

    // The token sits across the 2,000-character cut of a tool output: redacted before cutting, never half kept.
    private static readonly string s_longOutput = new string('x', 1_990) + " " + Github + " " + new string('y', 5_000);

    private static string Line(string json) => json + "\n";

    /// <summary>The template with @0@, @1@, ... replaced by the values.</summary>
    private static string F(string template, params object[] values)
    {
        for (int i = 0; i < values.Length; i++) template = template.Replace("@" + i + "@", values[i].ToString(), StringComparison.Ordinal);
        return template;
    }

    private static string Esc(string s) => "\"" + System.Text.Json.JsonEncodedText.Encode(s) + "\"";

    private static string CodexRollout() =>
        Line(F("""{"timestamp":"2026-04-20T10:00:00.100Z","type":"session_meta","payload":{"id":"@0@","timestamp":"2026-04-20T10:00:00.000Z","cwd":"/work/demo","originator":"codex_cli_rs","cli_version":"0.122.0","source":"cli"}}""", CodexId))
        + Line("""{"timestamp":"2026-04-20T10:00:00.200Z","type":"turn_context","payload":{"model":"gpt-5.1-codex"}}""")
        + Line(F("""{"timestamp":"2026-04-20T10:00:01.000Z","type":"event_msg","payload":{"type":"user_message","message":@0@}}""", Esc("deploy with token " + Github + " please")))
        + Line(F("""{"timestamp":"2026-04-20T10:00:02.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","call_id":"call_1","arguments":@0@}}""",
            Esc(F("""{"command":"curl -H 'x: @0@' https://example.test","api_key":"@1@"}""", Anthropic, Password))))
        + Line(F("""{"timestamp":"2026-04-20T10:00:03.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":@0@}}""", Esc(s_longOutput)))
        + Line(F("""{"timestamp":"2026-04-20T10:00:04.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":@0@}]}}""", Esc("the key was " + Aws)))
        + Line("""{"timestamp":"2026-04-20T10:00:05.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1000,"cached_input_tokens":200,"output_tokens":50,"reasoning_output_tokens":10,"total_tokens":1050},"last_token_usage":{"input_tokens":1000,"cached_input_tokens":200,"output_tokens":50,"reasoning_output_tokens":10,"total_tokens":1050}}}}""");

    private static string GeminiJournal() =>
        Line(F("""{"sessionId":"@0@","projectHash":"abc","startTime":"2026-04-20T10:00:00.000Z","lastUpdated":"2026-04-20T10:00:09.000Z","kind":"main"}""", GeminiId))
        + Line(F("""{"id":"u1","timestamp":"2026-04-20T10:00:01.000Z","type":"user","content":[{"text":@0@}]}""", Esc("deploy with token " + Github + " please")))
        + Line(F("""{"id":"g1","timestamp":"2026-04-20T10:00:05.000Z","type":"gemini","content":@0@,"model":"gemini-2.5-pro","tokens":{"input":10000,"output":200,"cached":4000,"thoughts":100,"tool":0,"total":10300},"toolCalls":[{"id":"run-1","name":"run_shell_command","args":{"command":@1@,"password":"@2@"},"status":"success","timestamp":"2026-04-20T10:00:06.000Z","result":[{"functionResponse":{"id":"run-1","name":"run_shell_command","response":{"output":@3@}}}]}]}""", Esc("the key was " + Aws), Esc("curl -H 'x: " + Anthropic + "'"), Password, Esc(s_longOutput)));

    private static (TraceStore Store, string Root) Import(string dir, string name, Redactor redactor)
    {
        string root = Path.Combine(dir, name);
        Directory.CreateDirectory(root);
        var store = new TraceStore(root);
        var importer = new AgentImporter(store, redactor);
        importer.Import(Path.Combine(dir, "rollout-2026-04-20T10-00-00-" + CodexId + ".jsonl"));
        importer.Import(Path.Combine(dir, "session-2026-04-20T10-00-9f0c2b1e.jsonl"));
        return (store, root);
    }

    private static List<TraceEvent> Events(SessionInfo s) => StoredRedaction.Events(s);

    [Test]
    [Arguments("codex", "call_abc")]
    [Arguments("gemini-cli", "read_file-1765310116295-0")]
    [Arguments("codex", "call_é\u2028")]
    public async Task ToolId_IsTheCaptureToolCallId(string agent, string callId)
    {
        // The import hashes tool ids through the platform context; hooks name the same call through CaptureIds.
        await Assert.That(AgentEvents.ToolId(agent, callId)).IsEqualTo(AgentStrace.Capture.CaptureIds.ToolCall(agent + ":" + callId));
    }

    [Test]
    public async Task Secrets_NeverReachTheStore_RedactedOnce_CostAndTokensUnchanged()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "rollout-2026-04-20T10-00-00-" + CodexId + ".jsonl"), CodexRollout());
        File.WriteAllText(Path.Combine(dir.Path, "session-2026-04-20T10-00-9f0c2b1e.jsonl"), GeminiJournal());
        var (redacted, on) = Import(dir.Path, "on", Redactor.On);
        var (plain, off) = Import(dir.Path, "off", Redactor.Off);

        string stored = string.Concat(Directory.GetFiles(on, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (string secret in new[] { Github, Aws, Anthropic, Password, Github[..20] })
        {
            await Assert.That(stored.Contains(secret, StringComparison.Ordinal)).IsFalse();
        }
        string unredacted = string.Concat(Directory.GetFiles(off, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        await Assert.That(unredacted.Contains(Github, StringComparison.Ordinal) && unredacted.Contains(Password, StringComparison.Ordinal)).IsTrue();

        List<SessionInfo> sessions = redacted.List();
        await Assert.That(sessions.Select(s => s.Id).Order().ToArray()).IsEquivalentTo(new[] { CodexId, GeminiId }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // The prompt, the tool call's arguments and the assistant text; the output is cut before its token, whole.
        foreach (SessionInfo s in sessions) await Assert.That(await StoredRedaction.AssertRedactedOnce(s)).IsEqualTo(3);

        var onCost = await StoredRedaction.AssertSameBilling(redacted, plain);
        // gpt-5.1-codex: 800 × $1.25 + 200 × $0.125 + 50 × $10 per million.
        await Assert.That(Math.Round(onCost[CodexId].Cost.TotalUsd, 9)).IsEqualTo(0.001525);
    }

    /// <summary>A rollout with <paramref name="reasoning"/> reasoning items between a prompt and the response that used them.</summary>
    private static string LongTurn(string id, int reasoning, int skip = 0)
    {
        var sb = new StringBuilder();
        sb.Append(Line(F("""{"timestamp":"2026-04-20T10:00:00.100Z","type":"session_meta","payload":{"id":"@0@","timestamp":"2026-04-20T10:00:00.000Z","cwd":"/work/demo"}}""", id)));
        // Lines of a record type no reader knows: they shift the line numbers (and so the event ids) of what follows.
        for (int i = 0; i < skip; i++) sb.Append(Line("""{"timestamp":"2026-04-20T10:00:00.150Z","type":"future_record","payload":{}}"""));
        sb.Append(Line("""{"timestamp":"2026-04-20T10:00:00.200Z","type":"turn_context","payload":{"model":"gpt-5.1-codex"}}"""));
        sb.Append(Line("""{"timestamp":"2026-04-20T10:00:01.000Z","type":"event_msg","payload":{"type":"user_message","message":"think hard"}}"""));
        for (int i = 0; i < reasoning; i++)
        {
            sb.Append(Line(F("""{"timestamp":"2026-04-20T10:00:02.000Z","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"step @0@"}]}}""", i)));
        }
        sb.Append(Line("""{"timestamp":"2026-04-20T10:00:09.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"output_tokens":5,"total_tokens":105},"last_token_usage":{"input_tokens":100,"output_tokens":5,"total_tokens":105}}}}"""));
        return sb.ToString();
    }

    [Test]
    public async Task ManyEventsBetweenModelCalls_TheRequestStaysBeforeThem()
    {
        using var dir = new TempDir();
        const int Steps = 3 * AgentEvents.MaxPending;
        string file = Path.Combine(dir.Path, "rollout-2026-04-20T10-00-00-019da100-0000-7000-8000-00000000d2d2.jsonl");
        File.WriteAllText(file, LongTurn("019da100-0000-7000-8000-00000000d2d2", Steps));
        var store = new TraceStore(Path.Combine(dir.Path, "store"));
        new AgentImporter(store, Redactor.On).Import(file);
        List<TraceEvent> events = Events(store.List().Single());
        // session_start, the prompt, the request (where the response began), every step in order, the response, the end.
        await Assert.That(events.Count).IsEqualTo(Steps + 5);
        await Assert.That(events.Take(3).Select(e => e.Type).ToArray())
            .IsEquivalentTo(new[] { EventType.SessionStart, EventType.UserPrompt, EventType.LlmRequest }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        for (int i = 0; i < Steps; i++)
        {
            TraceEvent step = events[3 + i];
            await Assert.That(step.Type).IsEqualTo(EventType.Decision);
            await Assert.That(step.Data.GetString("reason"u8)).IsEqualTo("step " + i);
        }
        await Assert.That(events[^2].Type).IsEqualTo(EventType.LlmResponse);
        await Assert.That(events[^2].ParentId).IsEqualTo(events[2].EventId);
        await AssertChain(store.List().Single());
    }

    [Test]
    public async Task EventQueue_KeepsOrderAcrossMemoryAndItsTemporaryFile()
    {
        using var queue = new EventQueue(3);
        var taken = new List<string>();
        int next = 0;
        TraceEvent Make() => new EventBuilder().Build(EventType.Decision, "s", next, eventId: "e" + next++, durationMs: next % 2 == 0 ? null : next * 1.5);
        // Interleaved: some spill, some are read back while more are written.
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 7; i++) queue.Enqueue(Make());
            for (int i = 0; i < 4 && queue.TryDequeue(out TraceEvent e); i++) taken.Add(e.EventId);
        }
        while (queue.TryDequeue(out TraceEvent e)) taken.Add(e.EventId);
        await Assert.That(queue.Spilled).IsTrue();
        await Assert.That(taken).IsEquivalentTo(Enumerable.Range(0, 35).Select(i => "e" + i).ToList(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task TwoFilesOfOneSession_ImportedAtOnce_AppendOneAfterTheOther()
    {
        using var dir = new TempDir();
        const string Id = "019da100-0000-7000-8000-00000000d3d3";
        const int Steps = 20_000;
        string a = Path.Combine(dir.Path, "a", "rollout-2026-04-20T10-00-00-" + Id + ".jsonl");
        string b = Path.Combine(dir.Path, "b", "rollout-2026-04-20T10-00-00-" + Id + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(a)!);
        Directory.CreateDirectory(Path.GetDirectoryName(b)!);
        File.WriteAllText(a, LongTurn(Id, Steps));
        // Shifted line numbers: every event of the second file gets an id of its own.
        File.WriteAllText(b, LongTurn(Id, Steps, skip: Steps + 10));
        var store = new TraceStore(Path.Combine(dir.Path, "store"));
        var unknown = new UnknownRecords();
        var import = new HistoryImport(store, Redactor.On, path => CodexImporter.Read(path, unknown, Redactor.On)) { MaxParallelism = 2 };
        HistoryImportSummary summary = import.Run([a, b]);
        await Assert.That(summary.Failed).IsEqualTo(0);
        SessionInfo session = store.List().Single();
        await AssertChain(session);
        List<TraceEvent> events = Events(session);
        await Assert.That(events.Select(e => e.EventId).Distinct().Count()).IsEqualTo(events.Count);
        // Each file's steps are one run in order, not interleaved with the other's.
        List<string> steps = events.Where(e => e.Type == EventType.Decision).Select(e => e.Data.GetString("reason"u8)).ToList();
        await Assert.That(steps.Count).IsEqualTo(2 * Steps);
        for (int i = 0; i < steps.Count; i++) await Assert.That(steps[i]).IsEqualTo("step " + (i % Steps));
    }

    [Test]
    public async Task RolloutLineWithAnEmptyPayload_IsCountedNotFatal()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "rollout-2026-04-20T10-00-00-019da100-0000-7000-8000-00000000d4d4.jsonl");
        // An empty payload used to end the whole import with an exception from the line-head reader.
        File.WriteAllText(file, LongTurn("019da100-0000-7000-8000-00000000d4d4", 2) + Line("""{"timestamp":"2026-04-20T10:00:10.000Z","type":"event_msg","payload":{}}"""));
        var importer = new AgentImporter(new TraceStore(Path.Combine(dir.Path, "store")), Redactor.On);
        await Assert.That(importer.Import(file).Single().LlmRequests).IsEqualTo(1);
    }
}
