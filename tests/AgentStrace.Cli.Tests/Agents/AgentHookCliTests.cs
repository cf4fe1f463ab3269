using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Agents;

/// <summary>
/// Codex CLI and Gemini CLI hooks as those agents run them: one process per event, their documented JSON payloads on
/// stdin, the project as cwd; and 'setup --agent' writing each agent's own settings file.
/// </summary>
public sealed class AgentHookCliTests
{
    private static Task<CliResult> Hook(AgentHomeTree t, string agent, string ev, JsonObject payload) =>
        AgentStraceCli.RunAsync(["hook", ev, "--agent", agent], t.Work, t.Env, payload.ToJsonString());

    private static JsonObject Payload(JsonObject common, string ev, (string Key, JsonNode? Value)[] more)
    {
        var p = (JsonObject)common.DeepClone();
        p["hook_event_name"] = ev;
        foreach (var (k, v) in more) p[k] = v?.DeepClone();
        return p;
    }

    [Test]
    public async Task Codex_ScriptedSession_RecordsPromptsToolsAndTheRolloutUsage()
    {
        using var t = new AgentHomeTree();
        string rollout = Path.Combine(t.CodexHome, "sessions", "2026", "04", "20", "rollout-2026-04-20T12-00-00-" + AgentHomeTree.CodexParent + ".jsonl");
        var common = new JsonObject
        {
            ["session_id"] = AgentHomeTree.CodexParent, ["transcript_path"] = rollout, ["cwd"] = t.Work, ["model"] = "gpt-5.1-codex", ["permission_mode"] = "default",
        };
        JsonObject With(string ev, params (string Key, JsonNode? Value)[] more)
        {
            JsonObject p = Payload(common, ev, more);
            if (ev != "SessionStart") p["turn_id"] = "t1";
            return p;
        }
        JsonNode ls = JsonNode.Parse("""{"command":"ls"}""")!;
        (string Event, JsonObject Payload)[] steps =
        [
            ("SessionStart", With("SessionStart", ("source", "startup"))),
            ("UserPromptSubmit", With("UserPromptSubmit", ("prompt", "List the files and fix the bug"))),
            ("PreToolUse", With("PreToolUse", ("tool_name", "Bash"), ("tool_use_id", "call_1"), ("tool_input", ls))),
            ("PostToolUse", With("PostToolUse", ("tool_name", "Bash"), ("tool_use_id", "call_1"), ("tool_input", ls), ("tool_response", "Exit code: 0\nOutput:\nmain.py\n"))),
            ("Stop", With("Stop", ("stop_hook_active", false), ("last_assistant_message", "Fixed the bug; a reviewer agreed."))),
            ("Stop", With("Stop", ("stop_hook_active", true), ("last_assistant_message", ""))),
        ];
        foreach (var (ev, payload) in steps)
        {
            CliResult r = await Hook(t, "codex", ev, payload);
            await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
            await Assert.That(r.Stdout).IsEqualTo("");
        }
        await Assert.That(File.Exists(Path.Combine(t.Store, "hook-errors.log"))).IsFalse();
        string dir = Path.Combine(t.Store, AgentHomeTree.CodexParent);
        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "meta.json"))).RootElement;
        await Assert.That(meta.GetProperty("agent_name").GetString()).IsEqualTo("codex");
        var events = Events(dir);
        await Assert.That(events[0].GetProperty("data").GetProperty("provider").GetString()).IsEqualTo("openai");
        JsonElement call = events.Single(e => Type(e) == "tool_call");
        await Assert.That(call.GetProperty("data").GetProperty("tool_use_id").GetString()).IsEqualTo("call_1");
        await Assert.That(events.Single(e => Type(e) == "tool_result").GetProperty("parent_id").GetString()).IsEqualTo(call.GetProperty("event_id").GetString());
        // Usage comes from the rollout at Stop, once: five model responses, 8,980 tokens; the second Stop adds none.
        await Assert.That(events.Count(e => Type(e) == "llm_response")).IsEqualTo(5);
        await Assert.That(meta.GetProperty("total_tokens").GetInt64()).IsEqualTo(8980);
        await Assert.That(meta.GetProperty("llm_requests").GetInt64()).IsEqualTo(5);

        // Importing the rollout afterwards adds no second copy of the hooked session and no model call twice.
        byte[] before = File.ReadAllBytes(Path.Combine(dir, "events.ndjson"));
        CliResult import = await t.RunAsync("import", "--discover", "--agent", "codex", "--codex-home", t.CodexHome);
        await Assert.That(import.ExitCode).IsEqualTo(0).Because(import.ToString());
        // Its sub-agent, started in the same millisecond (UUIDv7 ids share their first 16 characters), is a session of its own.
        await Assert.That(AgentHomeTree.CodexChild[..16]).IsEqualTo(AgentHomeTree.CodexParent[..16]);
        await Assert.That(File.Exists(Path.Combine(t.Store, AgentHomeTree.CodexChild, "meta.json"))).IsTrue();
        await Assert.That(File.ReadAllBytes(Path.Combine(dir, "events.ndjson"))).IsEquivalentTo(before, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Gemini_ScriptedSession_PairsToolsByOrder_AndReadsUsageFromTheChatAtSessionEnd()
    {
        using var t = new AgentHomeTree();
        string chat = Path.Combine(t.Home, ".gemini", "tmp", "demo", "chats", "session-2026-08-10T07-30-7a1b2c3d.jsonl");
        var common = new JsonObject
        {
            ["session_id"] = AgentHomeTree.GeminiMain, ["transcript_path"] = chat, ["cwd"] = t.Work, ["timestamp"] = "2026-08-10T07:30:00.000Z",
        };
        JsonObject P(string ev, params (string Key, JsonNode? Value)[] more) => Payload(common, ev, more);
        JsonNode write = JsonNode.Parse("""{"file_path":"/work/demo/hello.py","content":"print('hello')\n"}""")!;
        JsonNode run = JsonNode.Parse("""{"command":"python hello.py"}""")!;
        (string Event, JsonObject Payload)[] steps =
        [
            ("SessionStart", P("SessionStart", ("source", "startup"))),
            ("BeforeAgent", P("BeforeAgent", ("prompt", "Create hello.py"))),
            ("BeforeTool", P("BeforeTool", ("tool_name", "write_file"), ("tool_input", write))),
            ("BeforeTool", P("BeforeTool", ("tool_name", "run_shell_command"), ("tool_input", run))),
            ("AfterTool", P("AfterTool", ("tool_name", "write_file"), ("tool_input", write), ("tool_response", JsonNode.Parse("""{"llmContent":"Created","returnDisplay":"Created"}""")))),
            ("AfterTool", P("AfterTool", ("tool_name", "run_shell_command"), ("tool_input", run), ("tool_response", JsonNode.Parse("""{"llmContent":"","returnDisplay":"","error":{"message":"python: not found"}}""")))),
            ("AfterAgent", P("AfterAgent", ("prompt", "Create hello.py"), ("prompt_response", "Done: it prints hello."), ("stop_hook_active", false))),
            ("SessionEnd", P("SessionEnd", ("reason", "exit"))),
        ];
        foreach (var (ev, payload) in steps)
        {
            CliResult r = await Hook(t, "gemini-cli", ev, payload);
            await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
            await Assert.That(r.Stdout).IsEqualTo("");
        }
        await Assert.That(File.Exists(Path.Combine(t.Store, "hook-errors.log"))).IsFalse();
        string dir = Path.Combine(t.Store, AgentHomeTree.GeminiMain);
        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "meta.json"))).RootElement;
        await Assert.That(meta.GetProperty("agent_name").GetString()).IsEqualTo("gemini-cli");
        await Assert.That(meta.GetProperty("errors").GetInt64()).IsEqualTo(1);
        var events = Events(dir);
        await Assert.That(events.Single(e => Type(e) == "user_prompt").GetProperty("data").GetProperty("prompt").GetString()).IsEqualTo("Create hello.py");
        // No call ids: each AfterTool closes the oldest open call of its tool name.
        var calls = events.Where(e => Type(e) == "tool_call").ToDictionary(e => e.GetProperty("data").GetProperty("tool_name").GetString()!, e => e.GetProperty("event_id").GetString());
        await Assert.That(events.Single(e => Type(e) == "tool_result").GetProperty("parent_id").GetString()).IsEqualTo(calls["write_file"]);
        JsonElement failed = events.Single(e => Type(e) == "error");
        await Assert.That(failed.GetProperty("parent_id").GetString()).IsEqualTo(calls["run_shell_command"]);
        await Assert.That(failed.GetProperty("data").GetProperty("error").GetString()).IsEqualTo("python: not found");
        await Assert.That(events.Single(e => Type(e) == "assistant_response").GetProperty("data").GetProperty("text").GetString()).IsEqualTo("Done: it prints hello.");
        // At SessionEnd the chat file gives the model calls (the rewound one included: it was paid for).
        await Assert.That(events.Count(e => Type(e) == "llm_response")).IsEqualTo(4);
        await Assert.That(meta.GetProperty("total_tokens").GetInt64()).IsEqualTo(10300 + 12050 + 14040 + 13065);
        await Assert.That(Type(events[^1])).IsEqualTo("session_end");
    }

    [Test]
    public async Task SetupCodex_WritesHooksJsonIdempotently_KeepsUserEntries_SaysHowToEnable()
    {
        using var t = new AgentHomeTree();
        string file = Path.Combine(t.Work, ".codex", "hooks.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, """{"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"./guard.sh"}]}]},"note":"mine"}""");
        CliResult first = await t.RunAsync("setup", "--agent", "codex");
        await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());
        await Assert.That(first.Stdout).Contains("added 5");
        await Assert.That(first.Stdout).Contains("codex_hooks = true");
        JsonNode root = JsonNode.Parse(File.ReadAllText(file))!;
        await Assert.That((string?)root["note"]).IsEqualTo("mine");
        var pre = root["hooks"]!["PreToolUse"]!.AsArray();
        await Assert.That(pre.Count).IsEqualTo(2);
        await Assert.That((string?)pre[0]!["hooks"]![0]!["command"]).IsEqualTo("./guard.sh");
        await Assert.That((string?)pre[1]!["hooks"]![0]!["command"]).EndsWith(" hook PreToolUse --agent codex");
        await Assert.That((int?)pre[1]!["hooks"]![0]!["timeout"]).IsEqualTo(10);
        foreach (string ev in new[] { "SessionStart", "UserPromptSubmit", "PostToolUse", "Stop" }) await Assert.That(root["hooks"]![ev]).IsNotNull();

        string before = File.ReadAllText(file);
        File.WriteAllText(Path.Combine(t.CodexHome, "config.toml"), "model = \"gpt-5.1-codex\"\n\n[features]\ncodex_hooks = true\n");
        CliResult second = await t.RunAsync("setup", "--agent", "codex");
        await Assert.That(second.Stdout).Contains("nothing changed");
        await Assert.That(second.Stdout).Contains("Codex hooks are enabled");
        await Assert.That(File.ReadAllText(file)).IsEqualTo(before);
    }

    [Test]
    public async Task SetupGemini_Global_MergesIntoSettingsJson_TimeoutsInMilliseconds()
    {
        using var t = new AgentHomeTree();
        string file = Path.Combine(t.Home, ".gemini", "settings.json");
        File.WriteAllText(file, """{"theme":"Dark","hooks":{"BeforeTool":[{"matcher":"write_file","hooks":[{"type":"command","command":"lint.sh","timeout":5000}]}]}}""");
        CliResult first = await t.RunAsync("setup", "--agent", "gemini-cli", "--global");
        await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());
        await Assert.That(first.Stdout).Contains("added 8");
        JsonNode root = JsonNode.Parse(File.ReadAllText(file))!;
        await Assert.That((string?)root["theme"]).IsEqualTo("Dark");
        var before = root["hooks"]!["BeforeTool"]!.AsArray();
        await Assert.That((string?)before[0]!["hooks"]![0]!["command"]).IsEqualTo("lint.sh");
        JsonNode ours = before[1]!["hooks"]![0]!;
        await Assert.That((string?)ours["command"]).EndsWith(" hook BeforeTool --agent gemini-cli");
        await Assert.That((int?)ours["timeout"]).IsEqualTo(10000);
        foreach (string ev in new[] { "SessionStart", "SessionEnd", "BeforeAgent", "AfterAgent", "AfterTool", "PreCompress", "Notification" }) await Assert.That(root["hooks"]![ev]).IsNotNull();
        string text = File.ReadAllText(file);
        CliResult second = await t.RunAsync("setup", "--agent", "gemini", "--global");
        await Assert.That(second.Stdout).Contains("nothing changed");
        await Assert.That(File.ReadAllText(file)).IsEqualTo(text);
        await Assert.That(Directory.Exists(Path.Combine(t.Work, ".gemini"))).IsFalse();
    }

    private static List<JsonElement> Events(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "events.ndjson")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static string Type(JsonElement e) => e.GetProperty("event_type").GetString()!;
}
