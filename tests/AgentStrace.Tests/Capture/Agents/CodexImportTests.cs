using AgentStrace.Capture.Import.Agents;
using AgentStrace.Errors;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Capture.Agents;

/// <summary>Codex CLI rollouts: every record kind and every token-accounting pitfall, with the expected figures worked out by hand.</summary>
public sealed class CodexImportTests
{
    private const string Parent = "019da100-0000-7000-8000-0000000000a1";
    private const string Child = "019da100-0000-7000-8000-0000000000c1";
    private const string Newer = "019fa100-0000-7000-8000-0000000000e1";
    private const string Day = ".codex/sessions/2026/04/20/";
    private static readonly string s_parentFile = Day + "rollout-2026-04-20T12-00-00-" + Parent + ".jsonl";
    private static readonly string s_childFile = Day + "rollout-2026-04-20T12-00-12-" + Child + ".jsonl";
    private static readonly string s_newerFile = ".codex/archived_sessions/rollout-2026-03-01T09-00-00-" + Newer + ".jsonl";

    [Test]
    public async Task Rollout_CountsAResponseOnlyWhenTheTotalsChange()
    {
        using var s = new ImportedStore();
        s.Import(s_parentFile);
        var llm = s.Events(Parent).OfType("llm_response").Select(e => e.Data()).ToList();
        // 10 token_count lines: one info:null, three stale repeats (one re-sent after the resume), one all-zero overflow reset.
        // Five responses remain; each one's usage is its last_token_usage with cached input taken out of input.
        await Assert.That(llm.Select(d => (d.Num("input_tokens"), d.Num("cache_read_input_tokens"), d.Num("output_tokens"))).ToList())
            .IsEquivalentTo(new[] { (1000L, 0L, 50L), (400L, 800L, 30L), (1000L, 2000L, 100L), (500L, 1000L, 60L), (1000L, 1000L, 40L) }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(llm.Select(d => d.Str("model")).ToList())
            .IsEquivalentTo(new[] { "gpt-5.1-codex", "gpt-5.1-codex", "gpt-5.1-codex", "gpt-5.1-codex", "gpt-5.1-codex-mini" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(llm[0].Num("reasoning_output_tokens")).IsEqualTo(20);
        var meta = s.Meta(Parent);
        await Assert.That(meta.Num("total_tokens")).IsEqualTo(1050 + 1230 + 3100 + 1560 + 2040);
        await Assert.That(meta.Num("llm_requests")).IsEqualTo(5);

        // gpt-5.1-codex: $1.25 input, $0.125 cached input, $10 output per million; the mini: $0.25, $0.025, $2.
        var cost = s.Cost(Parent);
        double codex = (2900 * 1.25 + 3800 * 0.125 + 240 * 10) / 1e6;
        double mini = (1000 * 0.25 + 1000 * 0.025 + 40 * 2) / 1e6;
        await Assert.That(cost.Models.Single(m => m.Model == "gpt-5.1-codex").Usd).IsEqualTo(codex).Within(1e-12);
        await Assert.That(cost.Models.Single(m => m.Model == "gpt-5.1-codex-mini").Usd).IsEqualTo(mini).Within(1e-12);
        await Assert.That(cost.Method).IsEqualTo("usage");
    }

    [Test]
    public async Task Rollout_MapsMetaPromptsReasoningEveryToolKindAndErrors()
    {
        using var s = new ImportedStore();
        s.Import(s_parentFile);
        var events = s.Events(Parent);
        var meta = s.Meta(Parent);
        await Assert.That(meta.Str("agent_name")).IsEqualTo("codex");
        var attribution = meta.GetProperty("attribution");
        await Assert.That(attribution.Str("agent_version")).IsEqualTo("0.122.0");
        await Assert.That(attribution.Str("git_branch")).IsEqualTo("main");
        await Assert.That(attribution.Str("git_commit")).IsEqualTo("0a1b2c3d");
        await Assert.That(attribution.Str("working_dir")).IsEqualTo("/work/demo");
        var start = events[0];
        await Assert.That(start.Type()).IsEqualTo("session_start");
        await Assert.That(start.Data().Str("provider")).IsEqualTo("openai");
        await Assert.That(start.Data().Str("originator")).IsEqualTo("codex_cli_rs");

        // Prompts come from user_message events: the injected <environment_context> user item is not one.
        await Assert.That(events.OfType("user_prompt").Select(e => e.Data().Str("prompt")).ToList())
            .IsEquivalentTo(new[] { "List the files and fix the bug", "Now add a test" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // The assistant item and its agent_message echo are one response.
        await Assert.That(events.OfType("assistant_response").Count()).IsEqualTo(2);
        await Assert.That(events.OfType("decision").Select(e => e.Data().Str("choice")).ToList())
            .IsEquivalentTo(new[] { "reasoning", "compact" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        var calls = events.OfType("tool_call").ToDictionary(e => e.Data().Str("tool_use_id"), e => e);
        await Assert.That(calls.Count).IsEqualTo(7);
        await Assert.That(calls["call_1"].Data().Str("tool_kind")).IsEqualTo("exec");
        await Assert.That(calls["call_1"].Data().GetProperty("arguments").Str("command")).IsEqualTo("ls");
        await Assert.That(calls["call_2"].Data().Str("tool_name")).IsEqualTo("apply_patch");
        await Assert.That(calls["call_2"].Data().Str("tool_kind")).IsEqualTo("custom");
        await Assert.That(calls["call_3"].Data().Str("tool_kind")).IsEqualTo("local_shell");
        await Assert.That(calls["call_4"].Data().Str("tool_name")).IsEqualTo("mcp__docs__read");
        await Assert.That(calls["call_4"].Data().Str("mcp_server")).IsEqualTo("docs");
        await Assert.That(calls["call_5"].Data().Str("tool_name")).IsEqualTo("exec_command");
        await Assert.That(calls["call_6"].Data().Str("tool_kind")).IsEqualTo("spawn_agent");
        await Assert.That(calls.Values.Count(c => c.Data().Str("tool_name") == "web_search")).IsEqualTo(1);

        // Every call has its outcome, parented to it; the local shell call exited 2 and is an error.
        var outcomes = events.Where(e => e.Type() is "tool_result" or "error" && e.Data().Str("tool_use_id").Length > 0).ToList();
        await Assert.That(outcomes.Count).IsEqualTo(7);
        foreach (var o in outcomes) await Assert.That(o.Str("parent_id")).IsEqualTo(calls[o.Data().Str("tool_use_id")].Str("event_id"));
        var failed = outcomes.Single(o => o.Type() == "error");
        await Assert.That(failed.Data().Str("tool_use_id")).IsEqualTo("call_3");
        await Assert.That(failed.Data().Num("exit_code")).IsEqualTo(2);
        await Assert.That(outcomes.Single(o => o.Data().Str("tool_use_id") == "call_5").Data().Num("exit_code")).IsEqualTo(0);
        await Assert.That(outcomes.Single(o => o.Data().Str("tool_use_id") == "call_4").Data().Str("content_preview")).IsEqualTo("# Demo");
        // The stream error after the resume is the second error.
        await Assert.That(s.Meta(Parent).Num("errors")).IsEqualTo(2);
        await Assert.That(events.OfType("error").Any(e => e.Data().Str("message") == "stream disconnected before completion")).IsTrue();
    }

    [Test]
    public async Task Rollout_UnknownRecordTypesAreCountedNotFatal()
    {
        using var s = new ImportedStore();
        s.Import(s_parentFile);
        await Assert.That(s.Importer.Unknown.Kinds.ToList())
            .IsEquivalentTo(new[] { "codex:event_msg/brand_new_event", "codex:future_record" }, TUnit.Assertions.Enums.CollectionOrdering.Any);
    }

    [Test]
    public async Task ForkedChild_SkipsTheReplayedParentHistoryAndLinksToTheSpawnCall()
    {
        using var s = new ImportedStore();
        s.Import(s_childFile);
        var events = s.Events(Child);
        var llm = events.OfType("llm_response").Select(e => e.Data()).ToList();
        // The copied parent token_counts (and the re-sent seed) are not counted: only the child's two responses.
        await Assert.That(llm.Select(d => (d.Num("input_tokens"), d.Num("cache_read_input_tokens"), d.Num("output_tokens"))).ToList())
            .IsEquivalentTo(new[] { (1000L, 0L, 30L), (500L, 1000L, 20L) }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(s.Meta(Child).Num("total_tokens")).IsEqualTo(1030 + 1520);
        await Assert.That(s.Cost(Child).TotalUsd).IsEqualTo((1500 * 0.25 + 1000 * 0.025 + 50 * 2) / 1e6).Within(1e-12);
        // The parent's prompt is replayed, not asked: the child's task arrives as its first user item.
        await Assert.That(events.OfType("user_prompt").Select(e => e.Data().Str("prompt")).ToList())
            .IsEquivalentTo(new[] { "Review main.py" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        // The parent rollout beside it names the child in its spawn_agent output: the child hangs under that call.
        var meta = s.Meta(Child);
        await Assert.That(meta.Str("parent_session_id")).IsEqualTo(Parent);
        await Assert.That(meta.Num("depth")).IsEqualTo(1);
        s.Import(s_parentFile);
        string spawn = s.Events(Parent).OfType("tool_call").Single(e => e.Data().Str("tool_use_id") == "call_6").Str("event_id");
        await Assert.That(meta.Str("parent_event_id")).IsEqualTo(spawn);
        // The parent's own totals are untouched by the child.
        await Assert.That(s.Meta(Parent).Num("total_tokens")).IsEqualTo(8980);
    }

    [Test]
    public async Task NewerRollout_UsesTokenUsageRecordsOncePerResponse()
    {
        using var s = new ImportedStore();
        s.Import(s_newerFile);
        var llm = s.Events(Newer).OfType("llm_response").Select(e => e.Data()).ToList();
        // resp_2 is written twice and one record belongs to another thread: two responses, token_count lines ignored.
        await Assert.That(llm.Select(d => d.Str("response_id")).ToList()).IsEquivalentTo(new[] { "resp_1", "resp_2" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(llm.Select(d => (d.Num("input_tokens"), d.Num("cache_read_input_tokens"), d.Num("cache_creation_input_tokens"), d.Num("output_tokens"))).ToList())
            .IsEquivalentTo(new[] { (3500L, 1000L, 500L, 100L), (2000L, 4000L, 0L, 200L) }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(llm.All(d => d.Str("model") == "gpt-5.2")).IsTrue();
        await Assert.That(s.Meta(Newer).Num("total_tokens")).IsEqualTo(5100 + 6200);
        // gpt-5.2: $1.75 input (cache writes are billed as input), $0.175 cached, $14 output.
        await Assert.That(s.Cost(Newer).TotalUsd).IsEqualTo((5500 * 1.75 + 500 * 1.75 + 5000 * 0.175 + 300 * 14) / 1e6).Within(1e-12);
        await Assert.That(s.Importer.Unknown.Total).IsEqualTo(0);
    }

    [Test]
    public async Task Reimport_AddsNothing_AndAResumeAppendsOnlyItsLines()
    {
        using var s = new ImportedStore();
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, Path.GetFileName(s_parentFile));
        string[] lines = File.ReadAllLines(Path.Combine(ImportedStore.Home, s_parentFile));
        int resume = Array.FindIndex(lines, l => l.Contains("\"turn_id\":\"t2\"", StringComparison.Ordinal));
        File.WriteAllLines(file, lines[..resume]);
        s.Importer.Import(file);
        await Assert.That(s.Meta(Parent).Num("llm_requests")).IsEqualTo(4);
        int before = s.Events(Parent).Count;
        File.WriteAllLines(file, lines);
        s.Importer.Import(file);
        var after = s.Events(Parent);
        await Assert.That(s.Meta(Parent).Num("llm_requests")).IsEqualTo(5);
        await Assert.That(after.Select(e => e.Str("event_id")).Distinct().Count()).IsEqualTo(after.Count);
        await Assert.That(after.Count).IsGreaterThan(before);
        var results = s.Importer.Import(file);
        await Assert.That(results.Single().NewEvents).IsEqualTo(0);
    }

    [Test]
    public async Task Detect_RefusesUnknownContent()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "notes.jsonl");
        File.WriteAllText(file, "{\"hello\":\"world\"}\n");
        await Assert.That(() => AgentFormats.Detect(file)).Throws<AgentStraceException>().WithMessageContaining("not a Claude Code, Codex or Gemini CLI session file");
        await Assert.That(AgentFormats.Detect(Path.Combine(ImportedStore.Home, s_parentFile))).IsEqualTo(AgentFormat.Codex);
        await Assert.That(AgentFormats.Detect(Path.Combine(ImportedStore.Home, ".gemini/tmp/notes/chats/session-2025-12-09T10-00-bbbb2222.json"))).IsEqualTo(AgentFormat.Gemini);
    }
}
