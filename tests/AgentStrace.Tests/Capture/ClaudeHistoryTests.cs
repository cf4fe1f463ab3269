using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Analysis.Reports;
using AgentStrace.Capture.Import;
using AgentStrace.Capture.Redaction;
using AgentStrace.Compliance;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;
using U = AgentStrace.Testing.ClaudeTranscript.Usage;

namespace AgentStrace.Tests.Capture;

/// <summary>Importing a Claude Code history: sub-agents, compactions, orphans, mirrors, idempotence and the rollup.</summary>
public sealed class ClaudeHistoryTests
{
    private const string Sid = "c1a0de00-1111-4222-8333-444455556666";

    /// <summary>A main session that spawns sub-agent "a1b2c3d" (own file) and was compacted once (agent-acompact file).</summary>
    private static string WriteProject(string claudeDir, out string mainFile)
    {
        string project = Path.Combine(claudeDir, "projects", "-home-dev-app");
        mainFile = Path.Combine(project, Sid + ".jsonl");
        var sub = new ClaudeTranscript(Sid, agentId: "a1b2c3d").Prompt("find the bug")
            .Response("msg_s1", "claude-haiku-4-5-20251001", new U(10, 200, Cache1h: 5_000), "looking", ("toolu_s1", "Read", """{"file_path":"/home/dev/app/x.cs"}"""))
            .ToolResult("toolu_s1", "class X {}")
            .Response("msg_s2", "claude-haiku-4-5-20251001", new U(20, 300, CacheRead: 5_000), "found it");
        var main = new ClaudeTranscript(Sid).Prompt("fix the bug")
            .Response("msg_m1", "claude-opus-4-6", new U(3, 50, Cache1h: 20_000), "delegating",
                ("toolu_task", "Task", """{"description":"find","prompt":"find the bug","subagent_type":"Explore"}"""))
            .Mirror("a1b2c3d", "toolu_task", sub, 1)
            .Mirror("a1b2c3d", "toolu_task", sub, 2)
            .ToolResult("toolu_task", "found it", agentIdResult: "a1b2c3d")
            .Response("msg_m2", "claude-opus-4-6", new U(5, 100, CacheRead: 20_000), "fixed");
        var compact = new ClaudeTranscript(Sid, agentId: "acompact-9f8e7d").Prompt("Summarise the conversation")
            .Response("msg_c1", "claude-opus-4-6", new U(4, 1_000, Cache5m: 30_000), "<analysis>summary</analysis>");
        main.Save(mainFile);
        sub.Save(Path.Combine(project, Sid, "subagents", "agent-a1b2c3d.jsonl"));
        compact.Save(Path.Combine(project, Sid, "subagents", "agent-acompact-9f8e7d.jsonl"));
        return project;
    }

    private static (TraceStore Store, HistoryImportSummary Summary) ImportAll(string claudeDir, string storeDir)
    {
        var store = new TraceStore(storeDir);
        var import = new HistoryImport(store, Redactor.For(false), TranscriptImporter.Read);
        return (store, import.Run(TranscriptImporter.Discover(claudeDir)));
    }

    private static List<SessionLedger> Ledgers(TraceStore store)
    {
        var listing = store.List();
        return SessionLedger.Build(listing, listing, CostOptions.Default(PricingTable.BuiltIn()), null);
    }

    [Test]
    public async Task Rollup_MainSubagentAndCompaction_OneRowPerChild_TotalByHand()
    {
        using var dir = new TempDir();
        WriteProject(Path.Combine(dir.Path, "claude"), out _);
        var (store, _) = ImportAll(Path.Combine(dir.Path, "claude"), Path.Combine(dir.Path, "store"));
        List<SessionLedger> ledgers = Ledgers(store);
        await Assert.That(ledgers.Select(l => l.Session.Id).Order().ToArray())
            .IsEquivalentTo(new[] { Sid, "agent-a1b2c3d-c1a0de00", "agent-acompact-9f8e7d-c1a0de00" }.Order().ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(ledgers.All(l => l.RootId == Sid)).IsTrue();

        // main: msg_m1 3 × $5 + 50 × $25 + 20,000 1h × $10 = $0.201265; msg_m2 5 × $5 + 100 × $25 + 20,000 × $0.50 = $0.012525
        // sub-agent (haiku 4.5): 10 × $1 + 200 × $5 + 5,000 1h × $2 = $0.01101; 20 × $1 + 300 × $5 + 5,000 × $0.10 = $0.00202
        // compaction (opus 4.6): 4 × $5 + 1,000 × $25 + 30,000 5m × $6.25 = $0.21252
        var (rows, total) = CostReportBuilder.Build(ledgers, CostBy.Session, TimeZoneInfo.Utc, rollup: false);
        var byId = rows.ToDictionary(r => r.Key);
        await Assert.That(Math.Round(byId[Sid].Usd, 9)).IsEqualTo(0.21379);
        await Assert.That(Math.Round(byId["agent-a1b2c3d-c1a0de00"].Usd, 9)).IsEqualTo(0.01303);
        await Assert.That(byId["agent-a1b2c3d-c1a0de00"].Note).IsEqualTo("sub-agent");
        await Assert.That(Math.Round(byId["agent-acompact-9f8e7d-c1a0de00"].Usd, 9)).IsEqualTo(0.21252);
        await Assert.That(byId["agent-acompact-9f8e7d-c1a0de00"].Note).IsEqualTo("compaction");
        await Assert.That(Math.Round(total.Usd, 9)).IsEqualTo(0.43934);

        var (rolled, rolledTotal) = CostReportBuilder.Build(ledgers, CostBy.Session, TimeZoneInfo.Utc, rollup: true);
        await Assert.That(rolled.Count).IsEqualTo(1);
        await Assert.That(rolled[0].Note).IsEqualTo("+2 sub");
        await Assert.That(Math.Round(rolled[0].Usd, 9)).IsEqualTo(0.43934);
        await Assert.That(rolledTotal.Calls).IsEqualTo(5);
    }

    [Test]
    public async Task MirroredProgress_WithTheSubagentFile_IsNotCountedTwice()
    {
        using var dir = new TempDir();
        WriteProject(Path.Combine(dir.Path, "claude"), out _);
        var (store, _) = ImportAll(Path.Combine(dir.Path, "claude"), Path.Combine(dir.Path, "store"));
        var events = ReadEvents(store, "agent-a1b2c3d-c1a0de00");
        await Assert.That(events.Count(e => e.Type == EventType.LlmResponse)).IsEqualTo(2);
        await Assert.That(ReadEvents(store, Sid).Count(e => e.Type == EventType.LlmResponse)).IsEqualTo(2);
    }

    [Test]
    public async Task MirroredProgress_WithoutTheSubagentFile_CountedOnceFromTheMirror()
    {
        using var dir = new TempDir();
        string claude = Path.Combine(dir.Path, "claude");
        string project = WriteProject(claude, out _);
        File.Delete(Path.Combine(project, Sid, "subagents", "agent-a1b2c3d.jsonl"));
        var (store, _) = ImportAll(claude, Path.Combine(dir.Path, "store"));
        // The mirror holds the two lines of msg_s1 (text, tool_use): one request, its usage once.
        var events = ReadEvents(store, "agent-a1b2c3d-c1a0de00");
        var responses = events.Where(e => e.Type == EventType.LlmResponse).ToList();
        await Assert.That(responses.Count).IsEqualTo(1);
        await Assert.That(responses[0].Data.GetInt64("output_tokens"u8)).IsEqualTo(200L);
        SessionMeta meta = store.Find("agent-a1b2c3d-c1a0de00").Meta;
        await Assert.That(meta.ParentSessionId).IsEqualTo(Sid);
        await Assert.That(meta.ParentEventId).IsEqualTo(AgentStrace.Capture.CaptureIds.ToolCall("toolu_task"));
    }

    [Test]
    public async Task OrphanSubagentFolder_ImportedAndLinkedToTheParentItNames()
    {
        using var dir = new TempDir();
        string claude = Path.Combine(dir.Path, "claude");
        WriteProject(claude, out string mainFile);
        File.Delete(mainFile);
        List<string> found = TranscriptImporter.Discover(claude);
        await Assert.That(found).IsEquivalentTo(new[] { mainFile }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var (store, summary) = ImportAll(claude, Path.Combine(dir.Path, "store"));
        await Assert.That(summary.Failed).IsEqualTo(0);
        List<SessionLedger> ledgers = Ledgers(store);
        await Assert.That(ledgers.Count).IsEqualTo(2);
        await Assert.That(ledgers.All(l => l.Session.Meta.ParentSessionId == Sid && l.RootId == Sid)).IsTrue();
        var (rows, total) = CostReportBuilder.Build(ledgers, CostBy.Session, TimeZoneInfo.Utc, rollup: true);
        await Assert.That(rows.Single().Key).IsEqualTo(Sid);
        await Assert.That(Math.Round(total.Usd, 9)).IsEqualTo(0.22555); // $0.01303 + $0.21252
    }

    [Test]
    public async Task ImportTwice_AddsNothing_AndTheSecondRunReadsNoTranscript()
    {
        using var dir = new TempDir();
        string claude = Path.Combine(dir.Path, "claude");
        WriteProject(claude, out _);
        string storeDir = Path.Combine(dir.Path, "store");
        var (store, first) = ImportAll(claude, storeDir);
        string before = Snapshot(storeDir);
        var (_, second) = ImportAll(claude, storeDir);
        await Assert.That(first.NewEvents).IsGreaterThan(0);
        await Assert.That(second.Unchanged).IsEqualTo(1);
        await Assert.That(second.NewEvents).IsEqualTo(0);
        await Assert.That(Snapshot(storeDir)).IsEqualTo(before);
        // Without the state file, the import reads everything again and still adds nothing.
        File.Delete(Path.Combine(storeDir, ".import-state"));
        var (_, third) = ImportAll(claude, storeDir);
        await Assert.That(third.Unchanged).IsEqualTo(0);
        await Assert.That(third.NewEvents).IsEqualTo(0);
        foreach (SessionInfo s in store.List()) await Assert.That(ChainVerifier.Verify(s).Ok).IsTrue();
    }

    [Test]
    public async Task GrownFile_AddsExactlyTheNewEvents()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "claude", "projects", "-home-dev-app", Sid + ".jsonl");
        var t = new ClaudeTranscript(Sid).Prompt("one").Response("msg_g1", "claude-opus-4-6", new U(1, 10), "first", ("toolu_g1", "Bash", """{"command":"ls"}"""))
            .ToolResult("toolu_g1", "a b c");
        t.Save(file);
        int firstLines = t.Lines.Count;
        string storeDir = Path.Combine(dir.Path, "store");
        ImportAll(Path.Combine(dir.Path, "claude"), storeDir);
        var store = new TraceStore(storeDir);
        var before = ReadEvents(store, Sid).Select(e => e.EventId).ToList();

        t.Prompt("two").Response("msg_g2", "claude-opus-4-6", new U(2, 20), "second", ("toolu_g2", "Bash", """{"command":"false"}"""))
            .ToolResult("toolu_g2", "Exit code 1", isError: true);
        t.Append(file, firstLines);
        var (_, summary) = ImportAll(Path.Combine(dir.Path, "claude"), storeDir);
        var after = ReadEvents(store, Sid).Select(e => e.EventId).ToList();

        // A fresh import of the whole file gives the reference set of events.
        using var fresh = new TempDir();
        var reference = new TraceStore(fresh.Path);
        new TranscriptImporter(reference, Redactor.For(false)).Import(file);
        var all = ReadEvents(reference, Sid).Select(e => e.EventId).ToList();
        await Assert.That(after.Take(before.Count)).IsEquivalentTo(before, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(after.Order().ToArray()).IsEquivalentTo(all.Order().ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // New: prompt, llm_request, tool_call, assistant text, llm_response, error (the failed call).
        await Assert.That(summary.NewEvents).IsEqualTo(6);
        await Assert.That(after.Count - before.Count).IsEqualTo(6);
        await Assert.That(ChainVerifier.Verify(store.Find(Sid)).Ok).IsTrue();
    }

    [Test]
    public async Task StreamingResponse_HeldBackUntilItsLastLine_StoredOnceWithTheFinalCount()
    {
        using var dir = new TempDir();
        string claude = Path.Combine(dir.Path, "claude");
        string file = Path.Combine(claude, "projects", "-home-dev-app", Sid + ".jsonl");
        // One response written as two lines: the first says 1 output token, the last 400 (the final count).
        var t = new ClaudeTranscript(Sid).Prompt("go").Response("msg_live", "claude-opus-4-6", new U(3, 400), "working", ("toolu_l1", "Bash", """{"command":"ls"}"""));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, string.Join("\n", t.Lines.Take(t.Lines.Count - 1)) + "\n");
        var store = new TraceStore(Path.Combine(dir.Path, "store"));

        // Its last line is recent (every line counts as recent here): the request is left for the next import.
        var first = new HistoryImport(store, Redactor.Off, p => TranscriptImporter.Read(p, Redactor.Off, unsettledAfter: 0)).Run([file]);
        await Assert.That(first.HeldBack).IsEqualTo(1);
        await Assert.That(ReadEvents(store, Sid).Count(e => e.Type == EventType.LlmResponse)).IsEqualTo(0);

        t.Append(file, t.Lines.Count - 1);
        var second = new HistoryImport(store, Redactor.Off, TranscriptImporter.Read).Run([file]);
        await Assert.That(second.HeldBack).IsEqualTo(0);
        var responses = ReadEvents(store, Sid).Where(e => e.Type == EventType.LlmResponse).ToList();
        await Assert.That(responses.Count).IsEqualTo(1);
        await Assert.That(responses[0].Data.GetInt64("output_tokens"u8)).IsEqualTo(400);
        await Assert.That(ChainVerifier.Verify(store.Find(Sid)).Ok).IsTrue();
    }

    private static List<TraceEvent> ReadEvents(TraceStore store, string id)
    {
        var list = new List<TraceEvent>();
        using var reader = new EventReader(store.Find(id).EventsPath);
        while (reader.TryRead(out TraceEvent e)) list.Add(e);
        return list;
    }

    private static string Snapshot(string storeDir) => string.Join("\n", Directory.GetFiles(storeDir, "*", SearchOption.AllDirectories)
        .Where(f => !f.EndsWith(".import-state", StringComparison.Ordinal) && !f.EndsWith(".lock", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal).Select(f => f + "\n" + File.ReadAllText(f)));
}
