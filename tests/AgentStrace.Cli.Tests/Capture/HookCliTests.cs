using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Capture;

/// <summary>Runs the AOT binary as Claude Code does: one process per event, JSON on stdin, the project as cwd.</summary>
public sealed class HookCliTests
{
    private const string Session = "5f2b7c1e-9a0d-4e";
    private static string Hooks => Path.Combine(Repo.Fixtures, "capture", "hooks");
    private static string Transcripts => Path.Combine(Repo.Fixtures, "capture", "transcripts", "proj");
    private const string TranscriptId = "11111111-2222-4333-8444-555555555555";

    private static readonly Dictionary<string, string?> s_env = new() { ["CLAUDE_PROJECT_DIR"] = null, ["AGENT_STRACE_NO_REDACT"] = null, ["AGENT_TRACE_NO_REDACT"] = null };

    internal static string Payload(string name, string cwd) => File.ReadAllText(Path.Combine(Hooks, name + ".json"))
        .Replace("__CWD__", cwd, StringComparison.Ordinal)
        .Replace("__TRANSCRIPT__", Path.Combine(cwd, "transcript.jsonl"), StringComparison.Ordinal)
        .Replace("__SUBTRANSCRIPT__", Path.Combine(cwd, "agent-sub.jsonl"), StringComparison.Ordinal);

    internal static Task<CliResult> Hook(string hookEvent, string stdin, string cwd) =>
        AgentStraceCli.RunAsync(["hook", hookEvent], cwd, s_env, stdin);

    [Test]
    public async Task Hook_EveryEventInOneSession_RecordsPairedLinkedRedactedEvents()
    {
        using var t = new TempDir();
        File.Copy(Path.Combine(Transcripts, TranscriptId + ".jsonl"), Path.Combine(t.Path, "transcript.jsonl"));
        File.Copy(Path.Combine(Transcripts, TranscriptId, "subagents", "agent-b7c1d2e.jsonl"), Path.Combine(t.Path, "agent-sub.jsonl"));
        (string File, string Event)[] steps =
        [
            ("SessionStart", "SessionStart"), ("UserPromptSubmit", "user-prompt"), ("PreToolUse", "PreToolUse"), ("PreToolUse-2", "pre-tool"),
            ("PostToolUse", "PostToolUse"), ("PostToolUseFailure", "post-tool-failure"), ("PreToolUse-Agent", "PreToolUse"),
            ("PreToolUse-Sub", "PreToolUse"), ("PostToolUse-Sub", "PostToolUse"), ("SubagentStop", "SubagentStop"),
            ("PostToolUse-Agent", "PostToolUse"), ("PreCompact", "PreCompact"), ("Notification", "Notification"), ("Stop", "stop"), ("SessionEnd", "session-end"),
        ];
        foreach (var (file, ev) in steps)
        {
            CliResult r = await Hook(ev, Payload(file, t.Path), t.Path);
            await Assert.That(r.ExitCode).IsEqualTo(0);
            await Assert.That(r.Stdout).IsEqualTo("");
        }
        string dir = Path.Combine(t.Store, Session);
        await Assert.That(File.Exists(Path.Combine(t.Store, "hook-errors.log"))).IsFalse();
        var events = StoreFiles.Events(dir);
        string[] types = events.Select(e => e.Type()).ToArray();
        await Assert.That(types).IsEquivalentTo(new[]
        {
            "session_start", "user_prompt", "tool_call", "tool_call", "tool_result", "error", "tool_call", "tool_result", "decision", "decision",
            "assistant_response", "llm_request", "llm_response", "llm_request", "llm_response", "llm_request", "llm_response", "session_end",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        JsonElement CallOf(string useId) => events.Single(e => e.Type() == "tool_call" && e.Data().Str("tool_use_id") == useId);
        await Assert.That(events[4].Str("parent_id")).IsEqualTo(CallOf("toolu_01ABC123").Str("event_id"));
        await Assert.That(events[4].GetProperty("duration_ms").GetDouble()).IsEqualTo(812.0);
        await Assert.That(events[5].Str("parent_id")).IsEqualTo(CallOf("toolu_01DEF456").Str("event_id"));
        await Assert.That(events[5].Data().Str("error")).StartsWith("Exit code 1");
        await Assert.That(events[1].Data().Str("prompt")).Contains("[REDACTED:openai-key]");
        await Assert.That(events[1].GetProperty("redacted").GetBoolean()).IsTrue();
        await Assert.That(events[^2].Data().GetProperty("output_tokens").GetInt64()).IsEqualTo(40);

        JsonElement meta = StoreFiles.Meta(dir);
        await Assert.That(meta.GetProperty("tool_calls").GetInt64()).IsEqualTo(3);
        await Assert.That(meta.GetProperty("errors").GetInt64()).IsEqualTo(1);
        await Assert.That(meta.GetProperty("llm_requests").GetInt64()).IsEqualTo(3);
        // The agent's identity goes to a sidecar: the Python tool cannot load a meta.json with keys it does not know.
        await Assert.That(meta.TryGetProperty("agent_pid", out _)).IsFalse();
        using (var agent = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, ".agent-process.json"))))
        {
            await Assert.That(agent.RootElement.GetProperty("pid").GetInt64()).IsGreaterThan(1);
            await Assert.That(agent.RootElement.GetProperty("start_time").GetString()).IsNotEmpty();
        }
        await Assert.That(meta.GetProperty("attribution").GetProperty("working_dir").GetString()).IsEqualTo(t.Path);
        await Assert.That(StoreFiles.ChainIntact(dir)).IsTrue();

        string child = Path.Combine(t.Store, "agent-a4d2c8f1e0b3a297-5f2b7c1e");
        JsonElement childMeta = StoreFiles.Meta(child);
        await Assert.That(childMeta.Str("parent_session_id")).IsEqualTo(Session);
        await Assert.That(childMeta.Str("parent_event_id")).IsEqualTo(CallOf("toolu_01AGENT").Str("event_id"));
        await Assert.That(childMeta.GetProperty("depth").GetInt64()).IsEqualTo(1);
        string[] childTypes = StoreFiles.Events(child).Select(e => e.Type()).ToArray();
        await Assert.That(childTypes).IsEquivalentTo(new[] { "tool_call", "tool_result", "assistant_response", "llm_request", "llm_response", "llm_request", "llm_response" },
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        foreach (string f in Directory.GetFiles(t.Store, "*", SearchOption.AllDirectories))
        {
            await Assert.That(File.ReadAllText(f)).DoesNotContain("sk-abc123def456");
        }
    }

    [Test]
    public async Task Hook_EightParallelProcesses_LoseNothingAndKeepTheChain()
    {
        using var t = new TempDir();
        await Hook("SessionStart", Payload("SessionStart", t.Path), t.Path);
        string pre = Payload("PreToolUse", t.Path), post = Payload("PostToolUse", t.Path);
        CliResult[] calls = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Hook("PreToolUse", pre.Replace("toolu_01ABC123", "toolu_p" + i, StringComparison.Ordinal), t.Path)));
        CliResult[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Hook("PostToolUse", post.Replace("toolu_01ABC123", "toolu_p" + i, StringComparison.Ordinal), t.Path)));
        await Assert.That(calls.Concat(results).All(r => r.ExitCode == 0)).IsTrue();
        string dir = Path.Combine(t.Store, Session);
        var events = StoreFiles.Events(dir);
        await Assert.That(events.Count).IsEqualTo(17);
        await Assert.That(StoreFiles.ChainIntact(dir)).IsTrue();
        foreach (JsonElement result in events.Where(e => e.Type() == "tool_result"))
        {
            JsonElement call = events.Single(e => e.Type() == "tool_call" && e.Data().Str("tool_use_id") == result.Data().Str("tool_use_id"));
            await Assert.That(result.Str("parent_id")).IsEqualTo(call.Str("event_id"));
        }
        await Assert.That(StoreFiles.Meta(dir).GetProperty("tool_calls").GetInt64()).IsEqualTo(8);
        await Assert.That(File.ReadAllText(Path.Combine(dir, ".pending-calls.json"))).IsEqualTo("{}");
    }

    [Test]
    [Arguments("garbage")]
    [Arguments("empty")]
    [Arguments("10mb")]
    [Arguments("array")]
    public async Task Hook_BadStdin_ExitsZeroWritesNoEventAndLogsOneLine(string kind)
    {
        using var t = new TempDir();
        string stdin = kind switch
        {
            "garbage" => "{\"session_id\": \"abc\", oops",
            "empty" => "",
            "10mb" => new string('x', 10 * 1024 * 1024),
            _ => "[1,2,3]",
        };
        CliResult r = await Hook("UserPromptSubmit", stdin, t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).IsEqualTo("");
        string[] log = File.ReadAllLines(Path.Combine(t.Store, "hook-errors.log"));
        await Assert.That(log.Length).IsEqualTo(1);
        await Assert.That(log[0]).Contains("hook UserPromptSubmit");
        await Assert.That(Directory.GetDirectories(t.Store).Length).IsEqualTo(0);
    }

    [Test]
    public async Task Hook_UnwritableStore_ExitsZeroAndReportsOnStderr()
    {
        using var t = new TempDir();
        string file = Path.Combine(t.Path, "not-a-dir");
        File.WriteAllText(file, "x");
        var env = new Dictionary<string, string?>(s_env) { ["AGENT_STRACE_DIR"] = Path.Combine(file, "store") };
        CliResult r = await AgentStraceCli.RunAsync(["hook", "PreToolUse"], t.Path, env, Payload("PreToolUse", t.Path));
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stderr).Contains("hook error");
    }

    [Test]
    public async Task Hook_UnknownEvent_ExitsOneWithTheValidNames()
    {
        CliResult r = await AgentStraceCli.RunAsync(["hook", "Bogus"], stdin: "{}");
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(r.Stderr).Contains("Valid events: SessionStart");
    }

    [Test]
    public async Task Hook_NoRedactEnvironment_KeepsSecrets()
    {
        using var t = new TempDir();
        var env = new Dictionary<string, string?>(s_env) { ["AGENT_TRACE_NO_REDACT"] = "1" };
        await AgentStraceCli.RunAsync(["hook", "UserPromptSubmit"], t.Path, env, Payload("UserPromptSubmit", t.Path));
        await Assert.That(File.ReadAllText(Path.Combine(t.Store, Session, "events.ndjson"))).Contains("sk-abc123def456ghi789jkl012mno345pqr678");
    }
}
