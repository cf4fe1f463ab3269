namespace AgentStrace.Tests.Capture.Agents;

/// <summary>Gemini CLI chats: the v0.39+ journal (duplicates, $set, $rewindTo), sub-agent files and the legacy document.</summary>
public sealed class GeminiImportTests
{
    private const string Main = "7a1b2c3d-0000-4000-8000-0000000000f1";
    private const string Sub = "5e6f7a8b-0000-4000-8000-0000000000f2";
    private const string Legacy = "bbbb2222-0000-4000-8000-0000000000f3";
    private const string Journal = ".gemini/tmp/demo/chats/session-2026-08-10T07-30-7a1b2c3d.jsonl";
    private const string Orphan = ".gemini/tmp/demo/chats/session-2026-08-10T09-00-7a1b2c3d.jsonl";
    private const string LegacyDoc = ".gemini/tmp/notes/chats/session-2025-12-09T10-00-bbbb2222.json";

    [Test]
    public async Task Journal_LastWriteWins_RewindKeepsTheSpend_TokensNormalised()
    {
        using var s = new ImportedStore();
        s.Import(Journal);
        var events = s.Events(Main);
        var llm = events.OfType("llm_response").Select(e => e.Data()).ToList();
        // g1 is written twice (first without tokens): one call. g3 was rewound away but paid for: kept, marked.
        // input − cached (+ tool-use prompt) is uncached input; thoughts are billed as output.
        await Assert.That(llm.Select(d => (d.Num("input_tokens"), d.Num("cache_read_input_tokens"), d.Num("output_tokens"), d.Num("reasoning_output_tokens"))).ToList())
            .IsEquivalentTo(new[] { (6000L, 4000L, 300L, 100L), (4000L, 8000L, 50L, 0L), (2000L, 12000L, 40L, 10L), (13005L, 0L, 60L, 20L) }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(llm[3].GetProperty("rewound").GetBoolean()).IsTrue();
        await Assert.That(s.Meta(Main).Num("total_tokens")).IsEqualTo(10300 + 12050 + 14040 + 13065);

        // gemini-2.5-pro: $1.25 input, $0.125 cached, $10 output; gemini-2.5-flash: $0.30, $0.03, $2.50 (prompts up to 200k).
        var cost = s.Cost(Main);
        await Assert.That(cost.Models.Single(m => m.Model == "gemini-2.5-pro").Usd).IsEqualTo((12000 * 1.25 + 24000 * 0.125 + 390 * 10) / 1e6).Within(1e-12);
        await Assert.That(cost.Models.Single(m => m.Model == "gemini-2.5-flash").Usd).IsEqualTo((13005 * 0.30 + 60 * 2.5) / 1e6).Within(1e-12);

        // The transcript after replay: the injected <session_context> is not a prompt; u2/g3/e1 were rewound.
        await Assert.That(events.OfType("user_prompt").Select(e => e.Data().Str("prompt")).ToList())
            .IsEquivalentTo(new[] { "Create hello.py", "Run it with python3" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(events.OfType("tool_call").Select(e => e.Data().Str("tool_use_id")).ToList())
            .IsEquivalentTo(new[] { "write_file-1", "invoke_agent-1", "run_shell_command-2" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var cancelled = events.OfType("error").Single();
        await Assert.That(cancelled.Data().Str("tool_use_id")).IsEqualTo("run_shell_command-2");
        await Assert.That(cancelled.Data().Str("status")).IsEqualTo("cancelled");
        var written = events.OfType("tool_result").Single(e => e.Data().Str("tool_use_id") == "write_file-1");
        await Assert.That(written.Data().Str("content_preview")).IsEqualTo("Created /work/demo/hello.py");
        await Assert.That(written.GetProperty("duration_ms").GetDouble()).IsEqualTo(2000.0);
        await Assert.That(events.OfType("decision").Single().Data().Str("reason")).IsEqualTo("Plan: write the file");
        await Assert.That(s.Meta(Main).Num("errors")).IsEqualTo(1);

        var meta = s.Meta(Main);
        await Assert.That(meta.Str("agent_name")).IsEqualTo("gemini-cli");
        await Assert.That(meta.Str("command")).Contains("Create hello.py");
        await Assert.That(meta.GetProperty("attribution").Str("working_dir")).IsEqualTo("/work/demo");
        await Assert.That(events[0].Data().Str("provider")).IsEqualTo("google");
        await Assert.That(s.Importer.Unknown.Total).IsEqualTo(1);
    }

    [Test]
    public async Task Journal_BringsItsSubagentLinkedToTheInvokingCall()
    {
        using var s = new ImportedStore();
        var results = s.Import(Journal);
        await Assert.That(results.Select(r => (r.SessionId, r.IsSubagent)).ToList())
            .IsEquivalentTo(new[] { (Main, false), (Sub, true) }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var meta = s.Meta(Sub);
        await Assert.That(meta.Str("parent_session_id")).IsEqualTo(Main);
        string invoke = s.Events(Main).OfType("tool_call").Single(e => e.Data().Str("tool_name") == "invoke_agent").Str("event_id");
        await Assert.That(meta.Str("parent_event_id")).IsEqualTo(invoke);
        await Assert.That(meta.Str("agent_name")).IsEqualTo("gemini-cli");
        await Assert.That(s.Cost(Sub).TotalUsd).IsEqualTo((2000 * 0.30 + 1000 * 0.03 + 50 * 2.5) / 1e6).Within(1e-12);

        // The sub-agent file given on its own finds its parent chat and the same call.
        using var alone = new ImportedStore();
        alone.Import($".gemini/tmp/demo/chats/{Main}/{Sub}.jsonl");
        await Assert.That(alone.Meta(Sub).Str("parent_event_id")).IsEqualTo(invoke);
    }

    [Test]
    public async Task ResumeOrphan_HeaderOnlyFileChangesNothing()
    {
        using var s = new ImportedStore();
        s.Import(Journal);
        string before = File.ReadAllText(Path.Combine(s.Store.SessionDir(Main), "meta.json"));
        await Assert.That(s.Import(Orphan).Count).IsEqualTo(0);
        await Assert.That(File.ReadAllText(Path.Combine(s.Store.SessionDir(Main), "meta.json"))).IsEqualTo(before);
    }

    [Test]
    public async Task LegacyDocument_And_ItsJsonlMigration_GiveTheSameSession()
    {
        using var doc = new ImportedStore();
        doc.Import(LegacyDoc);
        using var journal = new ImportedStore();
        journal.Import(LegacyDoc + "l");
        foreach (var s in new[] { doc, journal })
        {
            var llm = s.Events(Legacy).OfType("llm_response").Select(e => e.Data()).ToList();
            await Assert.That(llm.Select(d => (d.Num("input_tokens"), d.Num("cache_read_input_tokens"), d.Num("output_tokens"))).ToList())
                .IsEquivalentTo(new[] { (5000L, 0L, 150L), (1000L, 5000L, 80L) }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
            await Assert.That(s.Cost(Legacy).TotalUsd).IsEqualTo((6000 * 0.30 + 5000 * 0.03 + 230 * 2.5) / 1e6).Within(1e-12);
            await Assert.That(s.Events(Legacy).OfType("tool_result").Single().Data().Str("content_preview")).IsEqualTo("buy milk");
            await Assert.That(s.Meta(Legacy).GetProperty("attribution").Str("working_dir")).IsEqualTo("/work/notes");
        }
    }
}
