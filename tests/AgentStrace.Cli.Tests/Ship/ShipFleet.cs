using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Ship;

/// <summary>
/// One machine of the fleet for the shipping tests: a project directory whose store the hooks write, its own user
/// configuration directory (XDG_CONFIG_HOME), and a scripted Claude Code session driven through the real hook
/// command of the published binary.
/// </summary>
internal sealed class ShipFleet : IDisposable
{
    private readonly TempDir _temp = new();

    public ShipFleet(string sessionId, IDictionary<string, string?>? env = null)
    {
        SessionId = sessionId;
        Env = new Dictionary<string, string?>
        {
            ["XDG_CONFIG_HOME"] = ConfigHome, ["CLAUDE_PROJECT_DIR"] = null, ["AGENT_STRACE_NO_REDACT"] = null, ["AGENT_TRACE_NO_REDACT"] = null,
            ["GITHUB_ACTIONS"] = null, ["GITLAB_CI"] = null, ["BUILDKITE"] = null, ["CIRCLECI"] = null, ["TF_BUILD"] = null, ["JENKINS_URL"] = null,
        };
        if (env is not null) foreach (var (k, v) in env) Env[k] = v;
    }

    public string SessionId { get; }
    public string StoreId => SessionId[..16];
    public string Project => _temp.Path;
    public string Store => _temp.Store;
    public string ConfigHome => Path.Combine(_temp.Path, "config-home");
    public string ConfigFile => Path.Combine(ConfigHome, "agent-strace", "config.json");
    public string OutboxDir => Path.Combine(Store, ".outbox");
    public Dictionary<string, string?> Env { get; }
    public List<CliResult> Results { get; } = [];

    public async Task<CliResult> RunAsync(params string[] args)
    {
        CliResult r = await AgentStraceCli.RunAsync(args, Project, Env);
        Results.Add(r);
        return r;
    }

    /// <summary>Wall time of each hook call, from start until its exit and closed output (what the agent waits for).</summary>
    public List<(string Event, TimeSpan Took)> HookTimes { get; } = [];

    public async Task HookAsync(string hookEvent, string json)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        CliResult r = await AgentStraceCli.RunAsync(["hook", hookEvent], Project, Env, json);
        HookTimes.Add((hookEvent, sw.Elapsed));
        Results.Add(r);
        if (r.ExitCode != 0 || r.Stdout.Length > 0) throw new InvalidOperationException($"hook {hookEvent}: {r}");
    }

    private string Base(string ev) =>
        $"\"session_id\":\"{SessionId}\",\"transcript_path\":\"{Path.Combine(Project, "no-transcript.jsonl")}\",\"cwd\":\"{Project}\",\"hook_event_name\":\"{ev}\"";

    public Task StartAsync() => HookAsync("SessionStart", $"{{{Base("SessionStart")},\"source\":\"startup\",\"model\":\"claude-sonnet-4-5\"}}");

    /// <summary>One turn: a prompt, <paramref name="tools"/> tool calls (the last failing when <paramref name="fail"/>), then Stop.</summary>
    public async Task TurnAsync(int turn, int tools, bool fail = false)
    {
        await HookAsync("UserPromptSubmit", $"{{{Base("UserPromptSubmit")},\"prompt\":\"turn {turn}: fix the tests\"}}");
        for (int i = 0; i < tools; i++)
        {
            string id = $"toolu_{turn}_{i}";
            string input = $"{{\"command\":\"pytest -k case{turn}_{i}\"}}";
            await HookAsync("PreToolUse", $"{{{Base("PreToolUse")},\"tool_name\":\"Bash\",\"tool_input\":{input},\"tool_use_id\":\"{id}\"}}");
            bool failed = fail && i == tools - 1;
            string post = failed ? "PostToolUseFailure" : "PostToolUse";
            string outcome = failed ? "\"error\":\"Exit code 1\"" : "\"tool_response\":{\"stdout\":\"1 passed\",\"stderr\":\"\",\"interrupted\":false}";
            await HookAsync(post, $"{{{Base(post)},\"tool_name\":\"Bash\",\"tool_input\":{input},\"tool_use_id\":\"{id}\",{outcome}}}");
        }
        await HookAsync("Stop", $"{{{Base("Stop")},\"stop_hook_active\":false,\"last_assistant_message\":\"turn {turn} done\"}}");
    }

    public Task EndAsync() => HookAsync("SessionEnd", $"{{{Base("SessionEnd")},\"reason\":\"exit\"}}");

    public string[] OutboxEntries() => Directory.Exists(OutboxDir)
        ? Directory.GetFiles(OutboxDir, "*.json").Where(f => char.IsAsciiDigit(Path.GetFileName(f)[0])).ToArray()
        : [];

    /// <summary>Waits (bounded) until the outbox holds no hand-over and no shipper of this store runs.</summary>
    public async Task<bool> OutboxDrainedAsync(TimeSpan timeout) =>
        await Eventually.TrueAsync(() => Task.FromResult(OutboxEntries().Length == 0 && ShipperPids().Count == 0), timeout);

    /// <summary>The running shipper processes of this store (found in /proc; see <see cref="ShipperProcesses"/>).</summary>
    public List<int> ShipperPids() => ShipperProcesses.Find(Store, Project);

    /// <summary>SIGKILLs every shipper of this store (a reboot, or a crash mid-send); returns how many were running.</summary>
    public Task<int> KillShippersAsync() => ShipperProcesses.KillAllAsync(Store, Project, TimeSpan.FromSeconds(10));

    public JsonDocument State() => JsonDocument.Parse(File.ReadAllText(Path.Combine(OutboxDir, "state.json")));

    public void Dispose()
    {
        try { KillShippersAsync().GetAwaiter().GetResult(); }
        catch (TimeoutException) { }
        _temp.Dispose();
    }
}
