using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Capture.ClaudeCode;

/// <summary>
/// The real client: Claude Code 2.1.328 from npm (installed by .ci/run), run headless against a loopback stand-in
/// for the Messages API, in a project where <c>agent-strace setup</c> installed our hooks. The model script calls
/// Bash, a failing Bash, Write, Read, a WebFetch that the permission rules deny, an Agent sub-agent in the foreground
/// and one in the background (whose end comes back as a task-notification prompt), then a Bash while the background
/// one still runs. Every call, outcome, prompt and API request must land in the session of the agent that made it.
/// </summary>
public sealed class ClaudeCodeLiveTests
{
    public const string Version = "2.1.328";
    private const string Prompt = "Do the scripted task";

    /// <summary>The native binary of the pinned npm package, from <c>$CLAUDE_CODE_BIN</c> or the cache dir .ci/run installs into.</summary>
    public static string? ClaudeBinary()
    {
        if (Environment.GetEnvironmentVariable("CLAUDE_CODE_BIN") is { Length: > 0 } bin) return File.Exists(bin) ? bin : null;
        string cache = Environment.GetEnvironmentVariable("AGENT_STRACE_TOOL_CACHE") is { Length: > 0 } c
            ? c
            : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache", "agent-strace-ci");
        string native = Path.Combine(cache, "claude-code-" + Version, "node_modules", "@anthropic-ai", "claude-code-linux-" + (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64"), "claude");
        return File.Exists(native) ? native : null;
    }

    [Test]
    public async Task RealClaudeCode_SubagentsForegroundAndBackground_EveryCallInTheRightSession_CostMatches()
    {
        string? claude = ClaudeBinary();
        Skip.When(claude is null, $"Claude Code {Version} is not installed (.ci/run installs it with npm into ~/.cache/agent-strace-ci; set CLAUDE_CODE_BIN to use another copy)");
        using var t = new TempDir();
        string home = Path.Combine(t.Path, "home"), project = Path.Combine(t.Path, "project"), tmp = Path.Combine(t.Path, "tmp");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(project);
        Directory.CreateDirectory(tmp); // Claude Code keeps background task output under $TMPDIR/claude-<uid>
        string file = Path.Combine(project, "a.txt");
        var scripts = new Dictionary<string, ScriptStep[]>
        {
            ["main"] =
            [
                ScriptStep.Call("Bash", new JsonObject { ["command"] = "echo hello", ["description"] = "say hello" }),
                ScriptStep.Call("Bash", new JsonObject { ["command"] = "ls /nonexistent-dir", ["description"] = "fail" }),
                ScriptStep.Call("Write", new JsonObject { ["file_path"] = file, ["content"] = "alpha\n" }),
                ScriptStep.Call("Read", new JsonObject { ["file_path"] = file }),
                ScriptStep.Call("WebFetch", new JsonObject { ["url"] = "http://127.0.0.1:9/denied", ["prompt"] = "read it" }),
                ScriptStep.Call("Agent", new JsonObject { ["description"] = "fg helper", ["prompt"] = "SUBTASK-FG echo", ["subagent_type"] = "general-purpose", ["run_in_background"] = false }),
                ScriptStep.Call("Agent", new JsonObject { ["description"] = "bg helper", ["prompt"] = "SUBTASK-BG echo and read", ["subagent_type"] = "general-purpose", ["run_in_background"] = true }),
                ScriptStep.Call("Bash", new JsonObject { ["command"] = "echo main-after-bg", ["description"] = "main while bg runs" }),
                ScriptStep.Say("main done"),
                ScriptStep.Say("noted the background result"),
            ],
            ["fg"] =
            [
                ScriptStep.Call("Bash", new JsonObject { ["command"] = "echo from-fg-sub", ["description"] = "fg echo" }),
                ScriptStep.Say("fg sub done"),
            ],
            ["bg"] =
            [
                ScriptStep.Call("Bash", new JsonObject { ["command"] = "echo from-bg-sub", ["description"] = "bg echo" }),
                ScriptStep.Call("Read", new JsonObject { ["file_path"] = file }),
                ScriptStep.Say("bg sub done"),
            ],
        };
        await using var api = new MessagesStandIn(scripts, first =>
            first.Contains("SUBTASK-FG", StringComparison.Ordinal) ? "fg"
            : first.Contains("SUBTASK-BG", StringComparison.Ordinal) ? "bg"
            : first.Contains(Prompt, StringComparison.Ordinal) ? "main" : "aux")
        {
            // The background sub-agent's second step waits until the parent's turn has ended, so the parent's
            // "main-after-bg" call runs while the sub-agent is alive and the end arrives as a task-notification.
            BeforeAnswer = async (self, script, step) =>
            {
                if (script == "bg" && step == 1) await Gate(self.Signal("main", 8).Task);
            },
        };

        var env = new Dictionary<string, string?>
        {
            ["HOME"] = home, ["TMPDIR"] = tmp, ["CLAUDE_CONFIG_DIR"] = null, ["ANTHROPIC_BASE_URL"] = api.BaseUrl, ["ANTHROPIC_API_KEY"] = "sk-ant-standin-not-a-key",
            ["ANTHROPIC_AUTH_TOKEN"] = null, ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1", ["DISABLE_AUTOUPDATER"] = "1",
            ["CLAUDECODE"] = null, ["CLAUDE_CODE_ENTRYPOINT"] = null, ["CLAUDE_PROJECT_DIR"] = null,
            ["AGENT_STRACE_DIR"] = null, ["AGENT_TRACE_DIR"] = null,
        };
        CliResult setup = await AgentStraceCli.RunAsync(["setup"], project, env);
        await Assert.That(setup.ExitCode).IsEqualTo(0).Because(setup.ToString());

        CliResult run = await ProcessRunner.RunAsync(claude!,
            ["-p", Prompt, "--output-format", "json", "--model", "claude-sonnet-4-5-20250929", "--allowedTools", "Bash Write Read Agent"],
            TimeSpan.FromMinutes(4), env, project);
        await Assert.That(run.ExitCode).IsEqualTo(0).Because(run.ToString());
        JsonElement result = JsonDocument.Parse(run.Stdout).RootElement;
        await Assert.That(result.GetProperty("is_error").GetBoolean()).IsFalse().Because(run.Stdout);
        await Assert.That(api.Unexpected.ToList()).IsEmpty();

        string store = Path.Combine(project, ".agent-traces");
        await Assert.That(File.Exists(Path.Combine(store, "hook-errors.log"))).IsFalse()
            .Because(File.Exists(Path.Combine(store, "hook-errors.log")) ? File.ReadAllText(Path.Combine(store, "hook-errors.log")) : "");
        List<RecordedSession> sessions = RecordedSession.LoadAll(store);
        string mainId = result.GetProperty("session_id").GetString()![..16];
        RecordedSession main = sessions.Single(s => s.Id == mainId);
        List<AnsweredRequest> answered = api.Answered.ToList();
        List<string> Tools(string script) => answered.Where(a => a.Script == script && a.ToolUseId is not null).OrderBy(a => a.Step).Select(a => a.ToolUseId!).ToList();
        List<string> Messages(string script) => answered.Where(a => a.Script == script).Select(a => a.MessageId).Order(StringComparer.Ordinal).ToList();
        RecordedSession ChildWith(string toolUseId) => sessions.Single(s => s.ParentSessionId == mainId && s.CallIds().Contains(toolUseId));

        // Calls, in the session of the agent that made them, each exactly once.
        await Assert.That(main.CallIds()).IsEquivalentTo(Tools("main"), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        RecordedSession fg = ChildWith(Tools("fg")[0]);
        RecordedSession bg = ChildWith(Tools("bg")[0]);
        await Assert.That(fg.CallIds()).IsEquivalentTo(Tools("fg"), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(bg.CallIds()).IsEquivalentTo(Tools("bg"), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(sessions.Count).IsEqualTo(3).Because(string.Join(", ", sessions.Select(s => s.Id)));

        // The children hang off the Agent calls that spawned them.
        List<string> mainTools = Tools("main");
        await Assert.That(fg.ParentEventId).IsEqualTo(main.CallEventId(mainTools[5]));
        await Assert.That(bg.ParentEventId).IsEqualTo(main.CallEventId(mainTools[6]));

        // Outcomes: one per call; the failure, the denial (no Post hook: its outcome comes from the transcript).
        foreach (RecordedSession s in new[] { main, fg, bg })
        {
            foreach (string id in s.CallIds()) await Assert.That(s.Outcomes(id).Count).IsEqualTo(1).Because($"{s.Id} {id}");
        }
        JsonElement failed = main.Outcomes(mainTools[1]).Single();
        await Assert.That(failed.GetProperty("event_type").GetString()).IsEqualTo("error");
        await Assert.That(RecordedSession.Data(failed, "error")).StartsWith("Exit code 2");
        JsonElement denied = main.Outcomes(mainTools[4]).Single();
        await Assert.That(denied.GetProperty("event_type").GetString()).IsEqualTo("error");
        await Assert.That(RecordedSession.Data(denied, "error_type")).IsEqualTo("permission_denied");
        await Assert.That(RecordedSession.Data(denied, "error")).Contains("requested permissions to use WebFetch");
        foreach (int ok in new[] { 0, 2, 3, 5, 6, 7 })
        {
            await Assert.That(main.Outcomes(mainTools[ok]).Single().GetProperty("event_type").GetString()).IsEqualTo("tool_result");
        }
        await Assert.That(RecordedSession.Data(main.Outcomes(mainTools[6]).Single(), "result")).Contains("async_launched");
        await Assert.That(RecordedSession.Data(bg.Outcomes(Tools("bg")[0]).Single(), "result")).Contains("from-bg-sub");
        await Assert.That(RecordedSession.Data(fg.Outcomes(Tools("fg")[0]).Single(), "result")).Contains("from-fg-sub");

        // Prompts: the user's and the background sub-agent's task-notification, both in the parent.
        List<string> prompts = main.OfType("user_prompt").Select(e => RecordedSession.Data(e, "prompt")).ToList();
        await Assert.That(prompts.Count).IsEqualTo(2);
        await Assert.That(prompts[0]).IsEqualTo(Prompt);
        await Assert.That(prompts[1]).Contains("<task-notification>");
        await Assert.That(fg.OfType("user_prompt").Count() + bg.OfType("user_prompt").Count()).IsEqualTo(0);

        // Model requests: every request the stand-in answered, once, in the right session.
        await Assert.That(main.RequestMessageIds().Order(StringComparer.Ordinal).ToList()).IsEquivalentTo(Messages("main"), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(fg.RequestMessageIds().Order(StringComparer.Ordinal).ToList()).IsEquivalentTo(Messages("fg"), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(bg.RequestMessageIds().Order(StringComparer.Ordinal).ToList()).IsEquivalentTo(Messages("bg"), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(answered.Count(a => a.Script == "aux")).IsEqualTo(0).Because("Claude Code sent a request outside the scripts; its cost would not be in any transcript");

        // The chains verify.
        CliResult verify = await AgentStraceCli.RunAsync(["verify", "--all", "--trace-dir", store], project, env);
        await Assert.That(verify.ExitCode).IsEqualTo(0).Because(verify.ToString());

        // Cost: `cost <id>` rolls the sub-agents up; that total equals what Claude Code reports.
        CliResult cost = await AgentStraceCli.RunAsync(["cost", main.Id, "--format", "json", "--trace-dir", store], project, env);
        await Assert.That(cost.ExitCode).IsEqualTo(0).Because(cost.ToString());
        JsonElement report = JsonDocument.Parse(cost.Stdout).RootElement;
        await Assert.That(report.GetProperty("sessions").EnumerateArray().Select(e => e.GetProperty("session_id").GetString()!).ToList())
            .IsEquivalentTo(new[] { main.Id, fg.Id, bg.Id }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        double ours = report.GetProperty("total_usd").GetDouble();
        double theirs = result.GetProperty("total_cost_usd").GetDouble();
        await Assert.That(Math.Abs(ours - theirs)).IsLessThan(0.000005)
            .Because($"agent-strace {ours.ToString(CultureInfo.InvariantCulture)} vs Claude Code {theirs.ToString(CultureInfo.InvariantCulture)}");
    }

    private static async Task Gate(Task signal)
    {
        // Generous bound: a stuck gate must not hang the suite; the assertions then show what went wrong.
        await Task.WhenAny(signal, Task.Delay(TimeSpan.FromSeconds(90)));
    }
}
