using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentStrace.Cli.Tests.Capture;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM in the middle of the commands that read a store for long (list over many sessions;
/// inspect, diff and baseline check over big ones): each stops at its next check, exits 130 with the one line
/// "agent-strace: cancelled." and leaves every file of the store as it was. <c>record</c> ends its server and closes the
/// session; a hook reading a transcript stops where it is, keeps what it read and still exits 0.
/// </summary>
[NotInParallel("cancellation")] // one big read at a time: the time bound is about the binary, not the machine's load
public sealed class CommandCancellationCliTests
{
    private const int Sigint = Interrupt.Sigint, Sigterm = Interrupt.Sigterm;
    private const string LongA = "long-a-0000000001", LongB = "long-b-0000000002";
    private const int ListSessions = 30_000;

    private static readonly Lazy<TempDir> s_long = new(() =>
    {
        var dir = new TempDir();
        SyntheticStore.AddLongSession(dir.Store, LongA, toolCalls: 150_000);
        SyntheticStore.AddLongSession(dir.Store, LongB, toolCalls: 150_000, startedAt: 1790003600);
        return dir;
    });

    // Many sessions of a meta.json each: list reads every one of them.
    private static readonly Lazy<TempDir> s_many = new(() =>
    {
        var dir = new TempDir();
        for (int i = 0; i < ListSessions; i++)
        {
            string id = $"many-{i:x12}";
            string session = Path.Combine(dir.Store, id);
            Directory.CreateDirectory(session);
            File.WriteAllText(Path.Combine(session, "meta.json"), string.Create(CultureInfo.InvariantCulture,
                $"{{\"session_id\": \"{id}\", \"started_at\": {1790000000 + i}, \"ended_at\": {1790000060 + i}, \"agent_name\": \"claude-code\", \"tool_calls\": 3, \"llm_requests\": 1, \"errors\": 0}}"));
        }
        return dir;
    });

    [After(Class)]
    public static void DeleteStores()
    {
        if (s_long.IsValueCreated) s_long.Value.Dispose();
        if (s_many.IsValueCreated) s_many.Value.Dispose();
    }

    [Test]
    [Arguments(Sigint)]
    [Arguments(Sigterm)]
    public async Task List_SignalledMidListing_StopsPromptly_StoreUntouched(int signal)
    {
        Interrupt.SkipIfIgnored(signal);
        string store = s_many.Value.Store;
        long metaBytes = Directory.EnumerateFiles(store, "meta.json", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        string before = Interrupt.Fingerprint(store);
        using var cli = Interrupt.Start(s_many.Value.Path, "--trace-dir", store, "list", "--format", "json");

        // Started: a tenth of the metas read; unfinished: not all of them, and nothing printed yet.
        var (unfinished, took, exit) = await Interrupt.MidWorkAsync(cli, signal, () => Interrupt.BytesRead(cli.Pid) > metaBytes / 10,
            () => Interrupt.BytesRead(cli.Pid) < metaBytes && cli.Stdout.Trim().Length == 0, "list reading the metas");

        await AssertCancelled(cli, unfinished, took, exit, "the listing finished before it was signalled: the store is too small for this machine");
        await Assert.That(Interrupt.Fingerprint(store)).IsEqualTo(before);
    }

    [Test]
    [Arguments("inspect", Sigint)]
    [Arguments("diff", Sigterm)]
    [Arguments("baseline-check", Sigint)]
    [Arguments("stats", Sigterm)]
    public async Task ReadingCommand_SignalledMidSession_StopsPromptly_StoreUntouched(string command, int signal)
    {
        Interrupt.SkipIfIgnored(signal);
        string store = s_long.Value.Store;
        long sessionBytes = new FileInfo(Path.Combine(store, LongA, "events.ndjson")).Length;
        using var work = new TempDir();
        string[] args = command switch
        {
            "inspect" => ["inspect", LongA],
            "diff" => ["diff", LongA, LongB],
            "stats" => ["stats", "--all"],
            _ => ["baseline", "check", LongA, "--baseline", await Baseline(work)],
        };
        string before = Interrupt.Fingerprint(store);
        using var cli = Interrupt.Start(work.Path, ["--trace-dir", store, .. args]);

        // Started: a tenth of a session read; unfinished: less than one whole session read.
        var (unfinished, took, exit) = await Interrupt.MidWorkAsync(cli, signal, () => Interrupt.BytesRead(cli.Pid) > sessionBytes / 10,
            () => Interrupt.BytesRead(cli.Pid) < sessionBytes, $"{command} reading the session");

        await AssertCancelled(cli, unfinished, took, exit, $"{command} read the whole session before it was signalled: the session is too small for this machine");
        await Assert.That(Interrupt.Fingerprint(store)).IsEqualTo(before);
        CliResult verify = await AgentStraceCli.RunAsync(["--trace-dir", store, "verify", LongA]);
        await Assert.That(verify.ExitCode).IsEqualTo(0).Because(verify.ToString());
    }

    [Test]
    [Arguments(Sigint, 130)]
    [Arguments(Sigterm, 143)]
    public async Task Record_Signalled_ServerEnds_SessionClosedWithItsExitCode(int signal, int serverExit)
    {
        Interrupt.SkipIfIgnored(signal);
        using var t = new TempDir();
        using var cli = Interrupt.Start(t.Path, "--trace-dir", t.Store, "record", "-q", "--", "sleep", "60");
        await Interrupt.WaitForAsync(() => Directory.Exists(t.Store) && Directory.GetDirectories(t.Store).Length == 1
            && File.Exists(Path.Combine(Directory.GetDirectories(t.Store)[0], "events.ndjson")), cli, "the recorded session");
        var clock = Stopwatch.StartNew();
        cli.Signal(signal);
        int exit = await cli.WaitAsync(TimeSpan.FromSeconds(60));

        // The signal went on to the server, which ended on it; record exits with its code, as always.
        await Assert.That(exit).IsEqualTo(serverExit).Because(cli.Stderr);
        await Assert.That(clock.Elapsed).IsLessThan(Interrupt.Bound);
        await AssertClosed(t.Store, serverExit);
    }

    [Test]
    public async Task Record_ServerIgnoresTheSignal_KilledAfterItsGrace_SessionStillClosed()
    {
        using var t = new TempDir();
        using var cli = Interrupt.Start(t.Path, "--trace-dir", t.Store, "record", "-q", "--", "sh", "-c", "trap '' INT TERM; sleep 60");
        await Interrupt.WaitForAsync(() => Directory.Exists(t.Store) && Directory.GetDirectories(t.Store).Length == 1
            && File.Exists(Path.Combine(Directory.GetDirectories(t.Store)[0], "events.ndjson")), cli, "the recorded session");
        await Task.Delay(200); // the shell has set its trap
        var clock = Stopwatch.StartNew();
        cli.Signal(Sigterm);
        int exit = await cli.WaitAsync(TimeSpan.FromSeconds(60));

        // Killed (SIGKILL, 137) after the 3 s grace, before the framework's forced stop at 5 s: the session has its end.
        await Assert.That(exit).IsEqualTo(137).Because(cli.Stderr);
        await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(5));
        await AssertClosed(t.Store, 137);
    }

    [Test]
    public async Task StopHook_SignalledMidTranscript_KeepsWhatItRead_ExitsZero_NextHookGoesOn()
    {
        using var t = new TempDir();
        const string Sid = "signal-hook-0001";
        const int Requests = 40_000;
        string transcript = Path.Combine(t.Path, "long.jsonl");
        using (var file = new StreamWriter(transcript, false, new UTF8Encoding(false), 1 << 20))
        {
            for (int i = 0; i < Requests; i++)
            {
                file.Write($"{{\"type\":\"assistant\",\"sessionId\":\"{Sid}\",\"requestId\":\"req_{i}\",\"timestamp\":\"2026-02-10T22:57:51.000Z\",\"uuid\":\"u{i}\",");
                file.Write($"\"message\":{{\"id\":\"msg_{i}\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[{{\"type\":\"text\",\"text\":\"{new string('x', 2000)}\"}}],");
                file.Write("\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}}\n");
            }
        }
        long transcriptBytes = new FileInfo(transcript).Length;
        var first = await HostileStoreTests.Hook("UserPromptSubmit", HostileStoreTests.Prompt(t.Path, "go", Sid), t.Path);
        await Assert.That(first.Result.ExitCode).IsEqualTo(0);
        string stop = $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"transcript_path\":\"{transcript}\",\"stop_hook_active\":false}}";

        var psi = new ProcessStartInfo(AgentStraceCli.BinaryPath, ["hook", "Stop"])
        {
            RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = t.Path,
        };
        foreach (string k in new[] { "AGENT_STRACE_DIR", "AGENT_TRACE_DIR", "CLAUDE_PROJECT_DIR", "AGENT_STRACE_NO_REDACT", "AGENT_TRACE_NO_REDACT" }) psi.Environment.Remove(k);
        psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(t.Path, "no-user-config");
        using Process hook = Process.Start(psi)!;
        Task<string> stderr = hook.StandardError.ReadToEndAsync();
        await hook.StandardInput.WriteAsync(stop);
        hook.StandardInput.Close();

        var clock = Stopwatch.StartNew();
        while (!hook.HasExited && Interrupt.BytesRead(hook.Id) < transcriptBytes / 10 && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(2);
        Interrupt.Send(hook.Id, Interrupt.Sigstop);
        bool unfinished = !hook.HasExited && Interrupt.BytesRead(hook.Id) < transcriptBytes;
        Interrupt.Send(hook.Id, Sigterm);
        clock.Restart();
        Interrupt.Send(hook.Id, Interrupt.Sigcont);
        await hook.WaitForExitAsync();
        TimeSpan took = clock.Elapsed;

        await Assert.That(unfinished).IsTrue().Because("the hook read the whole transcript before it was signalled: make it longer");
        await Assert.That(hook.ExitCode).IsEqualTo(0).Because(await stderr);
        await Assert.That(took).IsLessThan(Interrupt.Bound);
        string dir = Path.Combine(t.Store, Sid);
        int stored = StoreFiles.Events(dir).Count(e => e.Type() == "llm_response");
        await Assert.That(stored).IsLessThan(Requests);
        await Assert.That(StoreFiles.ChainIntact(dir)).IsTrue();
        // The next Stop goes on from where the signal stopped it, without counting anything twice.
        var next = await HostileStoreTests.Hook("Stop", stop, t.Path);
        await Assert.That(next.Result.ExitCode).IsEqualTo(0);
        int after = StoreFiles.Events(dir).Count(e => e.Type() == "llm_response");
        await Assert.That(after).IsGreaterThan(stored);
        await Assert.That(StoreFiles.Events(dir).Where(e => e.Type() == "llm_response").Select(e => e.Data().Str("message_id")).Distinct().Count()).IsEqualTo(after);
        await Assert.That(StoreFiles.ChainIntact(dir)).IsTrue();
    }

    private static async Task AssertCancelled(BackgroundCli cli, bool unfinished, TimeSpan took, int exit, string tooSmall)
    {
        await Assert.That(unfinished).IsTrue().Because(tooSmall);
        await Assert.That(exit).IsEqualTo(130).Because(cli.Stderr);
        await Assert.That(took).IsLessThan(Interrupt.Bound);
        await Assert.That(cli.Stderr.Trim()).IsEqualTo("agent-strace: cancelled.");
    }

    private static async Task AssertClosed(string store, int exitCode)
    {
        string dir = Directory.GetDirectories(store).Single();
        var events = StoreFiles.Events(dir);
        await Assert.That(events[^1].Type()).IsEqualTo("session_end");
        await Assert.That(events[^1].Data().GetProperty("exit_code").GetInt32()).IsEqualTo(exitCode);
        await Assert.That(StoreFiles.Meta(dir).TryGetProperty("ended_at", out _)).IsTrue();
        CliResult verify = await AgentStraceCli.RunAsync(["--trace-dir", store, "verify", Path.GetFileName(dir)]);
        await Assert.That(verify.ExitCode).IsEqualTo(0).Because(verify.ToString());
    }

    // A baseline of ten ordinary sessions, built by the binary itself.
    private static async Task<string> Baseline(TempDir work)
    {
        string history = Path.Combine(work.Path, "history");
        SyntheticStore.AddHistory(history, 10, 1789000000);
        string path = Path.Combine(work.Path, "baseline.json");
        CliResult update = await AgentStraceCli.RunAsync(["--trace-dir", history, "baseline", "update", "--output", path]);
        if (update.ExitCode != 0) throw new InvalidOperationException("baseline update failed: " + update);
        return path;
    }
}
