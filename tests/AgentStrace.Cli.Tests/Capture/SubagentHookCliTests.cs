using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Capture;

/// <summary>
/// Sub-agent capture from the files Claude Code 2.1.328 writes (layout and line shapes as observed, see
/// docs/capture.md): the parent transcript, <c>&lt;session&gt;/subagents/agent-&lt;id&gt;.jsonl</c> and its meta file,
/// with hook payloads whose agent_id is missing or wrong.
/// </summary>
public sealed class SubagentHookCliTests
{
    private const string Sid = "7d1e2f30-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
    private const string Store16 = "7d1e2f30-4a5b-4c";
    private const string Agent = "a1b2c3d4e5f607182";
    private static readonly string s_child = $"agent-{Agent}-7d1e2f30";

    private sealed class Layout : IDisposable
    {
        private readonly TempDir _t = new();

        public Layout()
        {
            Transcript = Path.Combine(_t.Path, "home", ".claude", "projects", "-p", Sid + ".jsonl");
            AgentTranscript = Path.Combine(Path.GetDirectoryName(Transcript)!, Sid, "subagents", $"agent-{Agent}.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(AgentTranscript)!);
            File.WriteAllText(Transcript, "");
            File.WriteAllText(AgentTranscript, "");
            File.WriteAllText(Path.ChangeExtension(AgentTranscript, ".meta.json"),
                """{"agentType":"general-purpose","description":"bg helper","toolUseId":"toolu_AGENT","requestShape":"background"}""");
        }

        public string Cwd => _t.Path;
        public string Transcript { get; }
        public string AgentTranscript { get; }
        public string StoreDir => _t.Store;

        public Task<CliResult> Hook(string ev, JsonObject payload)
        {
            payload["session_id"] = Sid;
            payload["transcript_path"] = Transcript;
            payload["cwd"] = Cwd;
            payload["hook_event_name"] = ev;
            return AgentStraceCli.RunAsync(["hook", ev], Cwd, new Dictionary<string, string?> { ["CLAUDE_PROJECT_DIR"] = null }, payload.ToJsonString());
        }

        public void Dispose() => _t.Dispose();
    }

    private static string Assistant(string msgId, string toolUseId, string? stop, bool sidechain) =>
        new JsonObject
        {
            ["parentUuid"] = null, ["isSidechain"] = sidechain, ["agentId"] = sidechain ? Agent : null, ["type"] = "assistant",
            ["uuid"] = Guid.NewGuid().ToString(), ["timestamp"] = "2026-12-07T02:00:00.000Z", ["sessionId"] = Sid, ["requestId"] = "req_" + msgId,
            ["message"] = new JsonObject
            {
                ["id"] = msgId, ["type"] = "message", ["role"] = "assistant", ["model"] = "claude-sonnet-4-5-20250929",
                ["content"] = toolUseId.Length == 0
                    ? new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "done" })
                    : new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = toolUseId, ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "true" } }),
                ["stop_reason"] = stop,
                ["usage"] = new JsonObject { ["input_tokens"] = 100, ["output_tokens"] = 20, ["cache_creation_input_tokens"] = 0, ["cache_read_input_tokens"] = 0 },
            },
        }.ToJsonString() + "\n";

    private static string Result(string toolUseId, bool isError, string text) =>
        new JsonObject
        {
            ["type"] = "user", ["uuid"] = Guid.NewGuid().ToString(), ["timestamp"] = "2026-12-07T02:00:01.000Z", ["sessionId"] = Sid,
            ["message"] = new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["content"] = text, ["is_error"] = isError, ["tool_use_id"] = toolUseId }),
            },
        }.ToJsonString() + "\n";

    private static JsonObject Tool(string toolUseId, string? agentId = null, string tool = "Bash")
    {
        var p = new JsonObject { ["tool_name"] = tool, ["tool_input"] = new JsonObject { ["command"] = "true" }, ["tool_use_id"] = toolUseId };
        if (agentId is not null)
        {
            p["agent_id"] = agentId;
            p["agent_type"] = "general-purpose";
        }
        return p;
    }

    private static List<string> Ids(string dir, string type, string key) =>
        StoreFiles.Events(dir).Where(e => e.Type() == type).Select(e => e.Data().Str(key)).ToList();

    [Test]
    public async Task ToolCalls_GoToTheAgentWhoseTranscriptNamesThem_WhateverThePayloadClaims()
    {
        using var l = new Layout();
        await l.Hook("SessionStart", new JsonObject { ["source"] = "startup" });
        File.AppendAllText(l.Transcript, Assistant("msg_m1", "toolu_AGENT", "tool_use", false));
        await l.Hook("PreToolUse", Tool("toolu_AGENT", tool: "Agent"));
        await l.Hook("PostToolUse", new JsonObject
        {
            ["tool_name"] = "Agent", ["tool_use_id"] = "toolu_AGENT",
            ["tool_response"] = new JsonObject { ["isAsync"] = true, ["status"] = "async_launched", ["agentId"] = Agent },
        });
        // The sub-agent's call arrives without agent_id, the parent's with the sub-agent's id.
        File.AppendAllText(l.AgentTranscript, Assistant("msg_s1", "toolu_SUB", "tool_use", true));
        File.AppendAllText(l.Transcript, Assistant("msg_m2", "toolu_MAIN", "tool_use", false));
        await l.Hook("PreToolUse", Tool("toolu_SUB"));
        await l.Hook("PreToolUse", Tool("toolu_MAIN", Agent));
        await l.Hook("PostToolUse", Tool("toolu_MAIN", Agent));
        await l.Hook("PostToolUse", Tool("toolu_SUB"));

        string main = Path.Combine(l.StoreDir, Store16), child = Path.Combine(l.StoreDir, s_child);
        await Assert.That(File.Exists(Path.Combine(l.StoreDir, "hook-errors.log"))).IsFalse();
        await Assert.That(Ids(main, "tool_call", "tool_use_id")).IsEquivalentTo(new[] { "toolu_AGENT", "toolu_MAIN" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(main, "tool_result", "tool_use_id")).IsEquivalentTo(new[] { "toolu_AGENT", "toolu_MAIN" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(child, "tool_call", "tool_use_id")).IsEquivalentTo(new[] { "toolu_SUB" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(child, "tool_result", "tool_use_id")).IsEquivalentTo(new[] { "toolu_SUB" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(child, "tool_call", "agent_id")).IsEquivalentTo(new[] { Agent }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(main, "tool_call", "agent_id")).IsEquivalentTo(new[] { "", "" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        JsonElement childMeta = StoreFiles.Meta(child);
        await Assert.That(childMeta.Str("parent_event_id")).IsEqualTo(
            StoreFiles.Events(main).Single(e => e.Type() == "tool_call" && e.Data().Str("tool_use_id") == "toolu_AGENT").Str("event_id"));
        await Assert.That(childMeta.Str("command")).IsEqualTo("claude-code subagent (general-purpose)");
        await Assert.That(StoreFiles.ChainIntact(main) && StoreFiles.ChainIntact(child)).IsTrue();
    }

    [Test]
    public async Task SubagentUsage_WrittenAfterSubagentStop_IsIngestedAtTheParentsStopOnce()
    {
        using var l = new Layout();
        await l.Hook("SessionStart", new JsonObject { ["source"] = "startup" });
        File.AppendAllText(l.AgentTranscript, Assistant("msg_s1", "toolu_SUB", "tool_use", true));
        File.AppendAllText(l.AgentTranscript, Result("toolu_SUB", false, "ok"));
        await l.Hook("SubagentStop", new JsonObject
        {
            ["agent_id"] = Agent, ["agent_type"] = "general-purpose", ["agent_transcript_path"] = l.AgentTranscript, ["last_assistant_message"] = "done",
        });
        string child = Path.Combine(l.StoreDir, s_child);
        await Assert.That(Ids(child, "llm_request", "message_id")).IsEquivalentTo(new[] { "msg_s1" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        byte[] before = File.ReadAllBytes(Path.Combine(child, "events.ndjson"));

        // Claude Code flushes the sub-agent's last request only now; a request still being written (no stop_reason,
        // last line) waits for a later read.
        File.AppendAllText(l.AgentTranscript, Assistant("msg_s2", "", "end_turn", true));
        File.AppendAllText(l.Transcript, Assistant("msg_m1", "", "end_turn", false));
        File.AppendAllText(l.Transcript, Assistant("msg_m2", "", null, false));
        await l.Hook("Stop", new JsonObject { ["last_assistant_message"] = "done" });
        await Assert.That(Ids(child, "llm_request", "message_id")).IsEquivalentTo(new[] { "msg_s1", "msg_s2" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        string main = Path.Combine(l.StoreDir, Store16);
        await Assert.That(Ids(main, "llm_request", "message_id")).IsEquivalentTo(new[] { "msg_m1" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        await l.Hook("SessionEnd", new JsonObject { ["reason"] = "other" });
        await Assert.That(Ids(child, "llm_request", "message_id")).IsEquivalentTo(new[] { "msg_s1", "msg_s2" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(main, "llm_request", "message_id")).IsEquivalentTo(new[] { "msg_m1", "msg_m2" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(StoreFiles.Meta(child).GetProperty("llm_requests").GetInt64()).IsEqualTo(2);
        // Append-only: what was written at SubagentStop is still the file's prefix.
        byte[] after = File.ReadAllBytes(Path.Combine(child, "events.ndjson"));
        await Assert.That(after.AsSpan(0, before.Length).SequenceEqual(before)).IsTrue();
        await Assert.That(StoreFiles.ChainIntact(main) && StoreFiles.ChainIntact(child)).IsTrue();
        await Assert.That(File.Exists(Path.Combine(l.StoreDir, "hook-errors.log"))).IsFalse();
    }

    [Test]
    public async Task CallsWithoutAPostHook_TakeTheirOutcomeFromTheTranscript()
    {
        using var l = new Layout();
        await l.Hook("SessionStart", new JsonObject { ["source"] = "startup" });
        File.AppendAllText(l.Transcript, Assistant("msg_m1", "toolu_DENIED", "tool_use", false));
        await l.Hook("PreToolUse", Tool("toolu_DENIED", tool: "WebFetch"));
        File.AppendAllText(l.Transcript, Result("toolu_DENIED", true, "Claude requested permissions to use WebFetch, but you haven't granted it yet."));
        File.AppendAllText(l.Transcript, Assistant("msg_m2", "toolu_LOST", "tool_use", false));
        await l.Hook("PreToolUse", Tool("toolu_LOST"));
        await l.Hook("Stop", new JsonObject { ["last_assistant_message"] = "done" });

        string main = Path.Combine(l.StoreDir, Store16);
        List<JsonElement> errors = StoreFiles.Events(main).Where(e => e.Type() == "error").ToList();
        await Assert.That(errors.Count).IsEqualTo(2);
        JsonElement denied = errors.Single(e => e.Data().Str("tool_use_id") == "toolu_DENIED");
        await Assert.That(denied.Data().Str("error_type")).IsEqualTo("permission_denied");
        await Assert.That(denied.Data().Str("error")).IsEqualTo("Claude requested permissions to use WebFetch, but you haven't granted it yet.");
        await Assert.That(denied.Data().Str("result_source")).IsEqualTo("transcript");
        await Assert.That(errors.Single(e => e.Data().Str("tool_use_id") == "toolu_LOST").Data().Str("error_type")).IsEqualTo("no_result");
        await Assert.That(StoreFiles.Meta(main).GetProperty("errors").GetInt64()).IsEqualTo(2);
    }

    [Test]
    public async Task ImportingTheHistoryTheHooksRecorded_AddsNoSecondSession_OnlyWhatTheyMissed()
    {
        using var l = new Layout();
        await l.Hook("SessionStart", new JsonObject { ["source"] = "startup" });
        File.AppendAllText(l.AgentTranscript, Assistant("msg_s1", "", "end_turn", true));
        await l.Hook("SubagentStop", new JsonObject
        {
            ["agent_id"] = Agent, ["agent_type"] = "general-purpose", ["agent_transcript_path"] = l.AgentTranscript, ["last_assistant_message"] = "done",
        });
        File.AppendAllText(l.Transcript, Assistant("msg_m1", "", "end_turn", false));
        await l.Hook("Stop", new JsonObject { ["last_assistant_message"] = "done" });
        // The agent went on, but no hook ran again (killed, or hooks removed): only the transcripts hold these.
        File.AppendAllText(l.Transcript, Assistant("msg_m2", "", "end_turn", false));
        File.AppendAllText(l.AgentTranscript, Assistant("msg_s2", "", "end_turn", true));

        string[] import = ["import", "--discover", "--agent", "claude-code", "--claude-dir", Path.Combine(l.Cwd, "home", ".claude")];
        var env = new Dictionary<string, string?> { ["CLAUDE_PROJECT_DIR"] = null };
        CliResult first = await AgentStraceCli.RunAsync(import, l.Cwd, env);
        await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());

        string main = Path.Combine(l.StoreDir, Store16), child = Path.Combine(l.StoreDir, s_child);
        string[] sessions = [.. Directory.GetDirectories(l.StoreDir).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order()!];
        await Assert.That(sessions).IsEquivalentTo(new[] { Store16, s_child }.Order().ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(main, "llm_request", "message_id")).IsEquivalentTo(new[] { "msg_m1", "msg_m2" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(child, "llm_request", "message_id")).IsEquivalentTo(new[] { "msg_s1", "msg_s2" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(StoreFiles.Meta(main).GetProperty("llm_requests").GetInt64()).IsEqualTo(2);
        await Assert.That(StoreFiles.Meta(child).GetProperty("llm_requests").GetInt64()).IsEqualTo(2);
        await Assert.That(StoreFiles.Meta(child).Str("parent_session_id")).IsEqualTo(Store16);

        // Again, after the transcripts changed under another name (a fresh import state): nothing is added.
        File.Delete(Path.Combine(l.StoreDir, ".import-state"));
        byte[] mainBefore = File.ReadAllBytes(Path.Combine(main, "events.ndjson")), childBefore = File.ReadAllBytes(Path.Combine(child, "events.ndjson"));
        CliResult second = await AgentStraceCli.RunAsync(import, l.Cwd, env);
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.ToString());
        await Assert.That(File.ReadAllBytes(Path.Combine(main, "events.ndjson"))).IsEquivalentTo(mainBefore, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(File.ReadAllBytes(Path.Combine(child, "events.ndjson"))).IsEquivalentTo(childBefore, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(StoreFiles.ChainIntact(main) && StoreFiles.ChainIntact(child)).IsTrue();

        // cost counts each request once: 4 requests of 100 input + 20 output tokens at Sonnet 4.5's $3 / $15 per million.
        CliResult cost = await AgentStraceCli.RunAsync(["cost", "--all", "--format", "json"], l.Cwd, env);
        await Assert.That(cost.ExitCode).IsEqualTo(0).Because(cost.ToString());
        using JsonDocument costJson = JsonDocument.Parse(cost.Stdout);
        await Assert.That(costJson.RootElement.GetProperty("sessions").GetArrayLength()).IsEqualTo(2);
        await Assert.That(costJson.RootElement.GetProperty("total_usd").GetDouble()).IsEqualTo(4 * (100 * 3e-6 + 20 * 15e-6)).Within(1e-9);
    }
}
