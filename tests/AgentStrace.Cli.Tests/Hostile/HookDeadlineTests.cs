using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentStrace.Cli.Tests.Capture;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// No hook stalls the agent and no event is lost for it: stdin that never closes or never ends, a session lock held
/// by processes that are then SIGKILLed, a read-only store, a transcript backlog at SessionEnd, deep nesting.
/// </summary>
public sealed class HookDeadlineTests
{
    private const string Sid = "deadline-sess-01";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    private static string Prompt(string cwd, string text) => $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{cwd}\",\"prompt\":{HostileStoreTests.Q(text)}}}";

    private static ProcessStartInfo HookProcess(string cwd, string ev)
    {
        var psi = new ProcessStartInfo(AgentStraceCli.BinaryPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = cwd,
        };
        psi.ArgumentList.Add("hook");
        psi.ArgumentList.Add(ev);
        foreach (string k in new[] { "AGENT_STRACE_DIR", "AGENT_TRACE_DIR", "CLAUDE_PROJECT_DIR", "AGENT_STRACE_NO_REDACT", "AGENT_TRACE_NO_REDACT" }) psi.Environment.Remove(k);
        psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(cwd, "no-user-config");
        return psi;
    }

    [Test]
    public async Task StdinThatNeverCloses_EndsAfterTheFirstCompleteJsonValue()
    {
        using var t = new TempDir();
        using Process p = Process.Start(HookProcess(t.Path, "UserPromptSubmit"))!;
        await p.StandardInput.WriteAsync(Prompt(t.Path, "hello"));
        await p.StandardInput.FlushAsync();
        // stdin stays open, as when the agent keeps the pipe.
        var sw = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(s_bound);
        await p.WaitForExitAsync(cts.Token);
        await Assert.That(p.ExitCode).IsEqualTo(0);
        await Assert.That(sw.Elapsed).IsLessThan(s_bound);
        await Assert.That(StoreFiles.Events(Path.Combine(t.Store, Sid)).Single().Data().Str("prompt")).IsEqualTo("hello");
        p.StandardInput.Close();
    }

    [Test]
    public async Task StdinThatNeverEnds_DevZeroAndAnOpenEmptyPipe_EndInBoundedTimeAndLogOneLine()
    {
        using var t = new TempDir();
        var sw = Stopwatch.StartNew();
        CliResult zero = await ProcessRunner.RunAsync("/bin/sh", ["-c", $"exec '{AgentStraceCli.BinaryPath}' hook UserPromptSubmit < /dev/zero"], s_bound,
            new Dictionary<string, string?> { ["AGENT_STRACE_DIR"] = t.Store, ["XDG_CONFIG_HOME"] = t.Path }, t.Path);
        await Assert.That(zero.ExitCode).IsEqualTo(0);
        await Assert.That(sw.Elapsed).IsLessThan(s_bound);

        using Process p = Process.Start(HookProcess(t.Path, "UserPromptSubmit"))!;
        using var cts = new CancellationTokenSource(s_bound);
        await p.WaitForExitAsync(cts.Token); // nothing ever written, pipe never closed: the stdin deadline ends it
        await Assert.That(p.ExitCode).IsEqualTo(0);
        string[] log = File.ReadAllLines(Path.Combine(t.Store, "hook-errors.log"));
        await Assert.That(log.Length).IsEqualTo(2);
        await Assert.That(log[0]).Contains("stdin is not valid JSON");
        await Assert.That(log[1]).Contains("no payload on stdin within");
        p.StandardInput.Close();
    }

    [Test]
    public async Task LockHeldBySigkilledProcesses_EveryEventArrivesInOrderAndTheChainHolds()
    {
        string? flock = ProcessRunner.Which("flock");
        Skip.When(flock is null, "flock (util-linux) is not installed");
        using var t = new TempDir();
        var first = await HostileStoreTests.Hook("UserPromptSubmit", Prompt(t.Path, "p0"), t.Path);
        await Assert.That(first.Result.ExitCode).IsEqualTo(0);
        string dir = Path.Combine(t.Store, Sid);
        int expected = 1;
        for (int round = 0; round < 3; round++)
        {
            // A stuck writer holds the session lock (flock(1) takes the same flock(2) lock the hooks take) ...
            using Process holder = Process.Start(new ProcessStartInfo(flock!, ["-x", Path.Combine(dir, ".lock"), "sleep", "60"]) { UseShellExecute = false })!;
            await Assert.That(await Eventually.TrueAsync(async () => { await Task.Yield(); return Locked(dir); }, s_bound)).IsTrue();
            // ... hooks give up waiting within their deadline and keep their events aside ...
            for (int i = 0; i < 2; i++)
            {
                var (r, took) = await HostileStoreTests.Hook("UserPromptSubmit", Prompt(t.Path, $"r{round}-{i}"), t.Path);
                await Assert.That(r.ExitCode).IsEqualTo(0);
                await Assert.That(took).IsLessThan(s_bound);
                expected++;
            }
            // ... the holder dies without cleaning up, and the next hook merges everything in order.
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
        var last = await HostileStoreTests.Hook("UserPromptSubmit", Prompt(t.Path, "last"), t.Path);
        await Assert.That(last.Result.ExitCode).IsEqualTo(0);
        expected++;
        string[] prompts = StoreFiles.Events(dir).Select(e => e.Data().Str("prompt")).ToArray();
        await Assert.That(prompts).IsEquivalentTo(new[] { "p0", "r0-0", "r0-1", "r1-0", "r1-1", "r2-0", "r2-1", "last" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(prompts.Length).IsEqualTo(expected);
        await Assert.That(StoreFiles.ChainIntact(dir)).IsTrue();
        await Assert.That(Directory.GetFiles(dir, ".spill-*")).IsEmpty();
        await Assert.That(File.ReadAllText(Path.Combine(t.Store, "hook-errors.log"))).Contains("kept in a side file");
        CliResult verify = await AgentStraceCli.RunAsync(["verify", Sid], t.Path);
        await Assert.That(verify.ExitCode).IsEqualTo(0);
    }

    [Test]
    public async Task SpilledSessionEnd_NoLaterHookOfThatSession_TheNextHookOfAnotherSessionMergesIt()
    {
        string? flock = ProcessRunner.Which("flock");
        Skip.When(flock is null, "flock (util-linux) is not installed");
        using var t = new TempDir();
        var first = await HostileStoreTests.Hook("UserPromptSubmit", Prompt(t.Path, "p0"), t.Path);
        await Assert.That(first.Result.ExitCode).IsEqualTo(0);
        string dir = Path.Combine(t.Store, Sid);
        using (Process holder = Process.Start(new ProcessStartInfo(flock!, ["-x", Path.Combine(dir, ".lock"), "sleep", "60"]) { UseShellExecute = false })!)
        {
            await Assert.That(await Eventually.TrueAsync(async () => { await Task.Yield(); return Locked(dir); }, s_bound)).IsTrue();
            // The session's last hook meets the stuck lock: its event waits in a side file, and no hook of it follows.
            var end = await HostileStoreTests.Hook("SessionEnd", $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"reason\":\"exit\"}}", t.Path);
            await Assert.That(end.Result.ExitCode).IsEqualTo(0);
            await Assert.That(Directory.GetFiles(dir, ".spill-*")).IsNotEmpty();
            CliResult doctor = await AgentStraceCli.RunAsync(["doctor", "--format", "json"], t.Path);
            await Assert.That(doctor.Stdout).Contains("side file");
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
        // Another session's hook (another agent window in the same project) merges it.
        var other = await HostileStoreTests.Hook("UserPromptSubmit", "{\"session_id\":\"other-sess-0002\",\"cwd\":\"" + t.Path + "\",\"prompt\":\"hi\"}", t.Path);
        await Assert.That(other.Result.ExitCode).IsEqualTo(0);
        await Assert.That(Directory.GetFiles(dir, ".spill-*")).IsEmpty();
        await Assert.That(File.Exists(Path.Combine(t.Store, ".spill-pending"))).IsFalse();
        string[] types = StoreFiles.Events(dir).Select(e => e.Type()).ToArray();
        await Assert.That(types).Contains("session_end");
        await Assert.That(StoreFiles.ChainIntact(dir)).IsTrue();
        // The other session's own event is stored too, and its chain is its own.
        await Assert.That(StoreFiles.Events(Path.Combine(t.Store, "other-sess-0002")).Select(e => e.Data().Str("prompt"))).Contains("hi");
    }

    // True when another process holds the lock (probed with flock -n, which fails at once when it is taken).
    private static bool Locked(string dir)
    {
        using Process probe = Process.Start(new ProcessStartInfo("flock", ["-n", Path.Combine(dir, ".lock"), "true"]) { UseShellExecute = false })!;
        probe.WaitForExit();
        return probe.ExitCode != 0;
    }

    [Test]
    public async Task ReadOnlyStore_FailsFastAndLogsToStderr()
    {
        using var t = new TempDir();
        var first = await HostileStoreTests.Hook("UserPromptSubmit", Prompt(t.Path, "p0"), t.Path);
        await Assert.That(first.Result.ExitCode).IsEqualTo(0);
        CliResult bind = await ProcessRunner.RunAsync("/bin/sh", ["-c", $"mount --bind '{t.Store}' '{t.Store}' && mount -o remount,bind,ro '{t.Store}'"], s_bound);
        Skip.When(bind.ExitCode != 0, "cannot make a read-only bind mount here (needs root and mount privileges): " + bind.Stderr.Trim());
        try
        {
            string before = File.ReadAllText(Path.Combine(t.Store, Sid, "events.ndjson"));
            var (r, took) = await HostileStoreTests.Hook("UserPromptSubmit", Prompt(t.Path, "p1"), t.Path);
            await Assert.That(r.ExitCode).IsEqualTo(0);
            await Assert.That(took).IsLessThan(TimeSpan.FromSeconds(5)); // was 30 s before: EROFS is not contention
            await Assert.That(r.Stderr).Contains("Read-only file system");
            await Assert.That(File.ReadAllText(Path.Combine(t.Store, Sid, "events.ndjson"))).IsEqualTo(before);
        }
        finally
        {
            await ProcessRunner.RunAsync("umount", [t.Store], s_bound);
        }
    }

    [Test]
    public async Task SessionEnd_WithATranscriptBacklog_WritesTheEndFirstAndLeavesTheRestForLater()
    {
        using var t = new TempDir();
        string transcript = Path.Combine(t.Path, "backlog.jsonl");
        var sb = new StringBuilder();
        const int Requests = 3000;
        for (int i = 0; i < Requests; i++)
        {
            sb.Append("{\"type\":\"assistant\",\"sessionId\":\"").Append(Sid).Append("\",\"requestId\":\"req_").Append(i)
              .Append("\",\"timestamp\":\"2026-02-10T22:57:51.000Z\",\"uuid\":\"u").Append(i).Append("\",\"message\":{\"id\":\"msg_").Append(i)
              .Append("\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"").Append('x', 2000)
              .Append("\"}],\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}}\n");
        }
        File.WriteAllText(transcript, sb.ToString());
        await HostileStoreTests.Hook("UserPromptSubmit", Prompt(t.Path, "go"), t.Path);
        var (r, took) = await HostileStoreTests.Hook("SessionEnd", $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"transcript_path\":\"{transcript}\",\"reason\":\"exit\"}}", t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(took).IsLessThan(s_bound);
        string dir = Path.Combine(t.Store, Sid);
        string[] types = StoreFiles.Events(dir).Select(e => e.Type()).ToArray();
        await Assert.That(types[1]).IsEqualTo("session_end");
        await Assert.That(StoreFiles.Meta(dir).TryGetProperty("ended_at", out _)).IsTrue();
        // What the budget left behind is read by the next hook call of the session; nothing is counted twice.
        for (int i = 0; i < 20 && StoreFiles.Events(dir).Count(e => e.Type() == "llm_response") < Requests; i++)
        {
            await HostileStoreTests.Hook("Stop", $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"transcript_path\":\"{transcript}\",\"stop_hook_active\":true}}", t.Path);
        }
        await Assert.That(StoreFiles.Events(dir).Count(e => e.Type() == "llm_response")).IsEqualTo(Requests);
        await Assert.That(StoreFiles.ChainIntact(dir)).IsTrue();
    }

    [Test]
    public async Task DeeplyNestedPayload_OneThousandLevels_IsStoredLosslessly()
    {
        using var t = new TempDir();
        string nested = string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000);
        string payload = $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"tool_name\":\"Bash\",\"tool_input\":{{\"command\":\"ls\",\"deep\":{nested}}},\"tool_use_id\":\"toolu_deep\"}}";
        var (r, took) = await HostileStoreTests.Hook("PreToolUse", payload, t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(took).IsLessThan(s_bound);
        await Assert.That(File.Exists(Path.Combine(t.Store, "hook-errors.log"))).IsFalse();
        string line = File.ReadAllLines(Path.Combine(t.Store, Sid, "events.ndjson")).Single();
        using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 2000 });
        JsonElement deep = doc.RootElement.GetProperty("data").GetProperty("arguments").GetProperty("deep");
        int depth = 0;
        while (deep.ValueKind == JsonValueKind.Object) { deep = deep.GetProperty("a"); depth++; }
        await Assert.That(depth).IsEqualTo(1000);
        await Assert.That(deep.GetInt32()).IsEqualTo(1);
        CliResult verify = await AgentStraceCli.RunAsync(["verify", Sid], t.Path);
        await Assert.That(verify.ExitCode).IsEqualTo(0);
    }
}
