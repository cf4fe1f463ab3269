using System.Diagnostics;
using AgentStrace.Cli.Tests.Capture;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// Temp files and staging directories a writer killed between write and rename leaves behind: the published binary
/// is SIGKILLed mid-write (frozen first, so the kill provably lands mid-write), and the next run removes what it left
/// and loses nothing. Planted look-alikes (a live writer's file, a fresh one, a link, a FIFO, a name that is not the
/// store's) are left alone. "Old enough" is a minute: the tests age the files instead of waiting.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LeftoverFilesTests
{
    private const int Sigstop = 19;
    private const string LongId = "leftover-long-session";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Test]
    public async Task ExportKilledMidWrite_ItsTempFileIsRemovedByTheNextExport_WhichWritesTheWholeFile()
    {
        using var t = new TempDir();
        SyntheticStore.AddLongSession(t.Store, LongId, toolCalls: 60_000);
        string output = Path.Combine(t.Path, "out.json");
        File.WriteAllText(output, "the previous export\n");
        using (var cli = new BackgroundCli(t.Path, "export", LongId, "--format", "json", "--output", output))
        {
            await WaitForAsync(() => TempFiles(t.Path).Length > 0, cli, "the export's temp file");
            cli.Signal(Sigstop);
            bool midWrite = TempFiles(t.Path).Length > 0 && !cli.HasExited;
            cli.KillHard();
            await cli.WaitAsync(s_timeout);
            await Assert.That(midWrite).IsTrue().Because("the export finished before it was killed: the session is too small for this machine");
        }
        string[] left = TempFiles(t.Path);
        await Assert.That(left.Length).IsEqualTo(1);
        await Assert.That(File.ReadAllText(output)).IsEqualTo("the previous export\n");

        // Within the minute a writer may still own it (another pid namespace): kept. Older, its writer dead: removed.
        CliResult young = await AgentStraceCli.RunAsync(["export", LongId, "--format", "json", "--output", output], t.Path, null, null, s_timeout);
        await Assert.That(young.ExitCode).IsEqualTo(0).Because(young.ToString());
        await Assert.That(TempFiles(t.Path)).IsEquivalentTo(left, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        Age(left[0]);
        CliResult next = await AgentStraceCli.RunAsync(["export", LongId, "--format", "json", "--output", output], t.Path, null, null, s_timeout);
        await Assert.That(next.ExitCode).IsEqualTo(0).Because(next.ToString());
        await Assert.That(TempFiles(t.Path)).IsEmpty();

        CliResult whole = await AgentStraceCli.RunAsync(["export", LongId, "--format", "json"], t.Path, null, null, s_timeout);
        await Assert.That(File.ReadAllText(output)).IsEqualTo(whole.Stdout);
    }

    [Test]
    public async Task ImportKilledMidWrite_ItsStagingDirectoryIsRemoved_AndTheNextImportStoresTheWholeSession()
    {
        using var t = new TempDir();
        string file = Path.Combine(t.Path, "projects", "-home-dev-p", HugeEventMemoryTests.ClaudeSid + ".jsonl");
        HugeEventMemoryTests.WriteClaudeTranscript(file, 24L << 20);
        using (var cli = new BackgroundCli(t.Path, "import", file))
        {
            await WaitForAsync(() => Staging(t.Store).Length > 0 && Directory.GetFiles(Staging(t.Store)[0]).Length > 0, cli, "the import's staging directory");
            cli.Signal(Sigstop);
            bool midWrite = Staging(t.Store).Length > 0 && !cli.HasExited;
            cli.KillHard();
            await cli.WaitAsync(s_timeout);
            await Assert.That(midWrite).IsTrue().Because("the import finished before it was killed: the transcript is too small for this machine");
        }
        string staged = Staging(t.Store)[0];
        foreach (string f in Directory.GetFiles(staged)) Age(f, TimeSpan.FromHours(2));
        Directory.SetLastWriteTimeUtc(staged, DateTime.UtcNow - TimeSpan.FromHours(2));

        CliResult again = await AgentStraceCli.RunAsync(["import", file], t.Path, null, null, s_timeout);
        await Assert.That(again.ExitCode).IsEqualTo(0).Because(again.ToString());
        await Assert.That(Staging(t.Store)).IsEmpty();

        // Nothing lost: the store holds what an import that was never killed stores, byte for byte.
        using var clean = new TempDir();
        CliResult reference = await AgentStraceCli.RunAsync(["import", file], clean.Path, null, null, s_timeout);
        await Assert.That(reference.ExitCode).IsEqualTo(0).Because(reference.ToString());
        foreach (string dir in Directory.GetDirectories(clean.Store))
        {
            string mine = Path.Combine(t.Store, Path.GetFileName(dir));
            foreach (string name in new[] { "events.ndjson", "meta.json" })
            {
                bool same = File.ReadAllBytes(Path.Combine(mine, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, name)));
                await Assert.That(same).IsTrue().Because(mine + "/" + name);
            }
        }
        await Assert.That(StoreFiles.ChainIntact(Path.Combine(t.Store, HugeEventMemoryTests.ClaudeSid))).IsTrue();
    }

    [Test]
    public async Task Doctor_RemovesAndNamesDeadWritersTempFiles_AndLeavesEverythingElse()
    {
        Skip.When(ProcessRunner.Which("mkfifo") is null, "mkfifo is not installed (coreutils)");
        using var t = new TempDir();
        await HostileStoreTests.Hook("UserPromptSubmit", HostileStoreTests.Prompt(t.Path, "hi", "sweep-session-1"), t.Path);
        string session = Path.Combine(t.Store, "sweep-session-1");
        int dead = await DeadPid();
        int alive = Environment.ProcessId;
        string[] removed =
        [
            Plant(session, $"meta.json.{dead}.tmp"),
            Plant(session, $".pending-calls.json.{dead}.tmp"),
            Plant(t.Store, $".active-session.{dead}.tmp"),
            Plant(Path.Combine(t.Store, ".spool"), $"checkpoint.json.{dead}.tmp"),
            Plant(Path.Combine(t.Store, ".outbox"), $"00000000000000000001-{dead}-sweep-session-1.json.{dead}.tmp"),
        ];
        string staging = Path.Combine(t.Store, ".other-session.staging");
        Directory.CreateDirectory(staging);
        Age(Plant(staging, "events.ndjson"), TimeSpan.FromHours(2));
        Directory.SetLastWriteTimeUtc(staging, DateTime.UtcNow - TimeSpan.FromHours(2));
        string victim = Path.Combine(t.Path, "victim");
        File.WriteAllText(victim, "IMPORTANT\n");
        string[] kept =
        [
            Plant(session, $"meta.json.{alive}.tmp"), // its writer is running
            Plant(session, $"events.ndjson.{dead}.tmp", age: false), // written within the minute
            Plant(t.Store, $"notes.txt.{dead}.tmp"), // not a name the store writes at its root
            Plant(session, $"meta.json.{dead}.tmp.bak"), // not our pattern
        ];
        string link = Path.Combine(session, $"meta.json.{dead + 1}.tmp");
        File.CreateSymbolicLink(link, victim);
        string fifo = Path.Combine(session, $".tail.{dead}.tmp");
        await ProcessRunner.RunAsync("mkfifo", [fifo], TimeSpan.FromSeconds(10));
        string events = File.ReadAllText(Path.Combine(session, "events.ndjson"));

        var clock = Stopwatch.StartNew();
        CliResult r = await AgentStraceCli.RunAsync(["doctor"], t.Path, new Dictionary<string, string?> { ["HOME"] = t.Path }, null, TimeSpan.FromSeconds(60));
        string line = r.Stdout.Split('\n').FirstOrDefault(l => l.Contains("leftover temp files:", StringComparison.Ordinal)) ?? r.ToString();
        await Assert.That(line).StartsWith("✓").And.Contains("removed 6 that killed writers left");
        await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(60));
        foreach (string f in removed) await Assert.That(File.Exists(f)).IsFalse().Because(f);
        await Assert.That(Directory.Exists(staging)).IsFalse();
        foreach (string f in kept) await Assert.That(File.Exists(f)).IsTrue().Because(f);
        await Assert.That(new FileInfo(link).LinkTarget).IsEqualTo(victim);
        await Assert.That(File.ReadAllText(victim)).IsEqualTo("IMPORTANT\n");
        await Assert.That(File.Exists(fifo)).IsTrue();
        await Assert.That(File.ReadAllText(Path.Combine(session, "events.ndjson"))).IsEqualTo(events);

        CliResult again = await AgentStraceCli.RunAsync(["doctor"], t.Path, new Dictionary<string, string?> { ["HOME"] = t.Path }, null, TimeSpan.FromSeconds(60));
        await Assert.That(again.Stdout).Contains("leftover temp files: none");
    }

    [Test]
    public async Task SessionEnd_RemovesItsSessionsLeftovers_AndTheSessionIsWhole()
    {
        using var t = new TempDir();
        const string Sid = "end-sweep-sess-1"; // 16 characters: the hook keeps ids at that length
        await HostileStoreTests.Hook("UserPromptSubmit", HostileStoreTests.Prompt(t.Path, "hi", Sid), t.Path);
        string session = Path.Combine(t.Store, Sid);
        int dead = await DeadPid();
        string meta = Plant(session, $"meta.json.{dead}.tmp");
        string spill = Plant(session, $".spill-00000000000000000001-{dead}.json.{dead}.tmp");
        string root = Plant(t.Store, $".active-session.{dead}.tmp"); // the root is not the hook's to sweep

        var (r, _) = await HostileStoreTests.Hook("SessionEnd", $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"reason\":\"exit\"}}", t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(File.Exists(meta)).IsFalse();
        await Assert.That(File.Exists(spill)).IsFalse();
        await Assert.That(File.Exists(root)).IsTrue();
        List<System.Text.Json.JsonElement> stored = StoreFiles.Events(session);
        await Assert.That(stored.Select(e => e.Type()).ToArray()).IsEquivalentTo(new[] { "user_prompt", "session_end" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(StoreFiles.ChainIntact(session)).IsTrue();
        await Assert.That(StoreFiles.Meta(session).TryGetProperty("ended_at", out _)).IsTrue();

        // An import writes into the root: its leftovers go there.
        string transcript = Path.Combine(t.Path, "t.jsonl");
        File.WriteAllLines(transcript, new ClaudeTranscript("import-sweep-1").Prompt("hello").Lines);
        CliResult import = await AgentStraceCli.RunAsync(["import", transcript], t.Path);
        await Assert.That(import.ExitCode).IsEqualTo(0).Because(import.ToString());
        await Assert.That(File.Exists(root)).IsFalse();
    }

    /// <summary>The pid of a process that has exited (pids are not reused within a test's time).</summary>
    private static async Task<int> DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        int pid = p.Id;
        await p.WaitForExitAsync();
        return pid;
    }

    private static string Plant(string dir, string name, bool age = true)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, "half written");
        if (age) Age(path);
        return path;
    }

    private static void Age(string path, TimeSpan? by = null) => File.SetLastWriteTimeUtc(path, DateTime.UtcNow - (by ?? TimeSpan.FromMinutes(5)));

    private static string[] TempFiles(string dir) => Directory.GetFiles(dir, ".*.tmp-*");

    private static string[] Staging(string store) => Directory.Exists(store) ? Directory.GetDirectories(store, ".*.staging") : [];

    private static async Task WaitForAsync(Func<bool> condition, BackgroundCli cli, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (cli.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"never saw {what}; the writer {(cli.HasExited ? "exited" : "hung")}.\n--- stderr\n{cli.Stderr}");
            }
            await Task.Delay(1);
        }
    }
}
