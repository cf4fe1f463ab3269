using System.Diagnostics;
using System.Text.Json;
using AgentStrace.Cli.Tests.Capture;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// The store, transcript and git metadata as a hostile repository would leave them: planted links, FIFOs, devices,
/// reserved names, a planted config.json. The published binary runs as Claude Code runs it; every test checks the exit
/// code, the message, that nothing outside was touched, and a generous time bound.
/// </summary>
public sealed class HostileStoreTests
{
    private const string Sid = "4f2a9c1e-1111-2222-3333-444455556666";
    private const string Dir16 = "4f2a9c1e-1111-22";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    internal static Dictionary<string, string?> Env(string configHome) => new()
    {
        ["CLAUDE_PROJECT_DIR"] = null, ["AGENT_STRACE_NO_REDACT"] = null, ["AGENT_TRACE_NO_REDACT"] = null, ["XDG_CONFIG_HOME"] = configHome,
    };

    internal static async Task<(CliResult Result, TimeSpan Took)> Hook(string ev, string payload, string cwd, Dictionary<string, string?>? env = null)
    {
        var sw = Stopwatch.StartNew();
        CliResult r = await AgentStraceCli.RunAsync(["hook", ev], cwd, env ?? Env(Path.Combine(cwd, "no-user-config")), payload, s_bound);
        return (r, sw.Elapsed);
    }

    /// <summary>A JSON string literal.</summary>
    internal static string Q(string s) => "\"" + JsonEncodedText.Encode(s, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";

    internal static string Start(string cwd, string sid = Sid) => $"{{\"session_id\":\"{sid}\",\"cwd\":\"{cwd}\",\"source\":\"startup\"}}";

    internal static string Prompt(string cwd, string text, string sid = Sid) =>
        $"{{\"session_id\":{Q(sid)},\"cwd\":\"{cwd}\",\"prompt\":{Q(text)}}}";

    [Test]
    [Arguments(".active-session")]
    [Arguments("hook-errors.log")]
    [Arguments("session/.tail")]
    [Arguments("session/events.ndjson")]
    [Arguments("session/.lock")]
    [Arguments("session/meta.json")]
    [Arguments("session/.pending-calls.json")]
    [Arguments("session")]
    public async Task PlantedSymlink_InTheStore_IsNeverWrittenThrough(string planted)
    {
        using var t = new TempDir();
        string store = t.Store;
        string victim = Path.Combine(t.Path, "victim");
        File.WriteAllText(victim, "IMPORTANT\n");
        Directory.CreateDirectory(store);
        if (planted.StartsWith("session", StringComparison.Ordinal))
        {
            var (started, _) = await Hook("SessionStart", Start(t.Path), t.Path);
            await Assert.That(started.ExitCode).IsEqualTo(0);
            await Hook("UserPromptSubmit", Prompt(t.Path, "first"), t.Path);
            await Hook("PreToolUse", $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"tool_name\":\"Bash\",\"tool_input\":{{\"command\":\"ls\"}},\"tool_use_id\":\"toolu_1\"}}", t.Path);
        }
        string link = planted == "session" ? Path.Combine(store, Dir16) : Path.Combine(store, planted.Replace("session/", Dir16 + "/", StringComparison.Ordinal));
        string victimDir = Path.Combine(t.Path, "victim-dir");
        if (planted == "session")
        {
            Directory.Move(link, Path.Combine(store, "moved-away"));
            Directory.CreateDirectory(victimDir);
            File.Delete(Path.Combine(store, ".active-session"));
            File.CreateSymbolicLink(link, victimDir);
        }
        else
        {
            if (File.Exists(link)) File.Delete(link);
            File.CreateSymbolicLink(link, victim);
        }

        // A prompt (or, for the error log, a payload that fails) is what makes the hook touch the planted file.
        string payload = planted == "hook-errors.log" ? "{not json" : Prompt(t.Path, "second");
        string ev = planted switch { "session/.pending-calls.json" => "PreToolUse", ".active-session" => "SessionStart", _ => "UserPromptSubmit" };
        var (r, took) = await Hook(ev,
            planted == "session/.pending-calls.json"
                ? $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"tool_name\":\"Bash\",\"tool_input\":{{\"command\":\"pwd\"}},\"tool_use_id\":\"toolu_2\"}}"
                : planted == ".active-session" ? Start(t.Path) : payload,
            t.Path);

        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).IsEqualTo("");
        await Assert.That(took).IsLessThan(s_bound);
        await Assert.That(File.ReadAllText(victim)).IsEqualTo("IMPORTANT\n");
        if (planted == "session") await Assert.That(Directory.GetFileSystemEntries(victimDir)).IsEmpty();
        if (planted == "hook-errors.log")
        {
            await Assert.That(r.Stderr).Contains("is a symbolic link");
        }
        else if (planted == ".active-session")
        {
            // Replaced by a rename (which replaces the link itself), never written through.
            await Assert.That(new FileInfo(link).LinkTarget).IsNull();
            await Assert.That(File.ReadAllText(link)).IsEqualTo(Dir16);
        }
        else
        {
            string log = File.ReadAllText(Path.Combine(store, "hook-errors.log"));
            await Assert.That(log).Contains("not a regular file");
            await Assert.That(log).Contains("session=" + Dir16);
        }
    }

    [Test]
    public async Task PlantedConfig_InTheStore_CannotTurnProtectionOff()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t.Store);
        File.WriteAllText(Path.Combine(t.Store, "config.json"), "{\"redact\": false, \"transcript_usage\": false}");
        const string Key = "sk-ant-api03-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Ll";
        await Hook("SessionStart", Start(t.Path), t.Path);
        var (r, took) = await Hook("UserPromptSubmit", Prompt(t.Path, "key " + Key), t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(took).IsLessThan(s_bound);
        string events = File.ReadAllText(Path.Combine(t.Store, Dir16, "events.ndjson"));
        await Assert.That(events).DoesNotContain(Key);
        await Assert.That(events).Contains("[REDACTED:");
        await Assert.That(File.ReadAllText(Path.Combine(t.Store, "hook-errors.log"))).Contains("ignored " + Path.Combine(t.Store, "config.json"));

        // The user's own configuration is what may turn it off.
        string home = Path.Combine(t.Path, "xdg");
        Directory.CreateDirectory(Path.Combine(home, "agent-strace"));
        File.WriteAllText(Path.Combine(home, "agent-strace", "config.json"), "{\"redact\": false}");
        var (own, _) = await Hook("UserPromptSubmit", Prompt(t.Path, "mine " + Key), t.Path, Env(home));
        await Assert.That(own.ExitCode).IsEqualTo(0);
        await Assert.That(File.ReadAllText(Path.Combine(t.Store, Dir16, "events.ndjson"))).Contains("mine " + Key);
    }

    [Test]
    [Arguments("config.json")]
    [Arguments("hook-errors.log")]
    [Arguments(".spool")]
    [Arguments("..")]
    [Arguments("../../etc/x")]
    [Arguments("a\u0001b")]
    [Arguments("long")]
    public async Task ReservedOrHostileSessionId_MapsToOneStableDirectory_AndCaptureGoesOn(string id)
    {
        using var t = new TempDir();
        if (id == "long") id = "../" + new string('a', 5000);
        var (first, took) = await Hook("UserPromptSubmit", Prompt(t.Path, "one", id), t.Path);
        await Hook("UserPromptSubmit", Prompt(t.Path, "two", id), t.Path);
        await Assert.That(first.ExitCode).IsEqualTo(0);
        await Assert.That(took).IsLessThan(s_bound);
        string[] dirs = Directory.GetDirectories(t.Store).Select(Path.GetFileName).OfType<string>().ToArray();
        await Assert.That(dirs.Length).IsEqualTo(1);
        string dir = Path.Combine(t.Store, dirs[0]);
        await Assert.That(dirs[0]).Matches("^x[0-9a-f]{15}$");
        await Assert.That(StoreFiles.Events(dir).Count).IsEqualTo(2);
        using (var origin = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, ".session-origin.json"))))
        {
            string expected = id.Length > 4096 ? id[..4096] : id;
            await Assert.That(origin.RootElement.GetProperty("original_session_id").GetString()).IsEqualTo(expected);
        }
        await Assert.That(File.Exists(Path.Combine(t.Store, "hook-errors.log"))).IsFalse();

        // A normal session in the same store is unaffected, and the listing shows exactly the two sessions.
        await Hook("UserPromptSubmit", Prompt(t.Path, "normal", "normal-session-1"), t.Path);
        await Assert.That(StoreFiles.Events(Path.Combine(t.Store, "normal-session-1")).Count).IsEqualTo(1);
        CliResult list = await AgentStraceCli.RunAsync(["list", "--format", "json"], t.Path);
        await Assert.That(list.ExitCode).IsEqualTo(0);
        using var listed = JsonDocument.Parse(list.Stdout);
        await Assert.That(listed.RootElement.GetArrayLength()).IsEqualTo(2);
    }

    [Test]
    public async Task Listing_SkipsReservedNamesAndLinks_PlantedAsSessions()
    {
        using var t = new TempDir();
        await Hook("UserPromptSubmit", Prompt(t.Path, "real", "real-session-001"), t.Path);
        string real = Path.Combine(t.Store, "real-session-001");
        foreach (string name in new[] { "config.json", ".spool", "baseline.json" })
        {
            TempDir.Copy(real, Path.Combine(t.Store, name));
        }
        string outside = Path.Combine(t.Path, "outside");
        TempDir.Copy(real, outside);
        Directory.CreateSymbolicLink(Path.Combine(t.Store, "linked-session"), outside);
        CliResult r = await AgentStraceCli.RunAsync(["list", "--format", "json"], t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        using var listed = JsonDocument.Parse(r.Stdout);
        await Assert.That(listed.RootElement.GetArrayLength()).IsEqualTo(1);
    }

    [Test]
    public async Task FifoTranscriptAndGitMetadata_NeverBlockOrBalloon()
    {
        Skip.When(ProcessRunner.Which("mkfifo") is null, "mkfifo is not installed (coreutils)");
        using var t = new TempDir();
        string fifo = Path.Combine(t.Path, "fifo.jsonl");
        await ProcessRunner.RunAsync("mkfifo", [fifo], s_bound);
        Directory.CreateDirectory(Path.Combine(t.Path, ".git"));
        await ProcessRunner.RunAsync("mkfifo", [Path.Combine(t.Path, ".git", "HEAD")], s_bound);
        File.CreateSymbolicLink(Path.Combine(t.Path, ".git", "config"), "/dev/zero");

        var (start, startTook) = await Hook("SessionStart", $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"source\":\"startup\",\"transcript_path\":\"{fifo}\"}}", t.Path);
        await Assert.That(start.ExitCode).IsEqualTo(0);
        await Assert.That(startTook).IsLessThan(s_bound);
        JsonElement attribution = StoreFiles.Meta(Path.Combine(t.Store, Dir16)).GetProperty("attribution");
        await Assert.That(attribution.Str("git_branch")).IsEqualTo("");

        var (stop, stopTook) = await Hook("Stop", $"{{\"session_id\":\"{Sid}\",\"cwd\":\"{t.Path}\",\"transcript_path\":\"{fifo}\",\"last_assistant_message\":\"done\"}}", t.Path);
        await Assert.That(stop.ExitCode).IsEqualTo(0);
        await Assert.That(stopTook).IsLessThan(s_bound);
        // The session lock was not left held: the next event is recorded at once.
        var (next, nextTook) = await Hook("UserPromptSubmit", Prompt(t.Path, "next"), t.Path);
        await Assert.That(next.ExitCode).IsEqualTo(0);
        await Assert.That(nextTook).IsLessThan(s_bound);
        string[] types = StoreFiles.Events(Path.Combine(t.Store, Dir16)).Select(e => e.Type()).ToArray();
        await Assert.That(types).IsEquivalentTo(new[] { "session_start", "assistant_response", "user_prompt" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task FifoAsEventsFile_StoreWideCommandsDoNotHang()
    {
        Skip.When(ProcessRunner.Which("mkfifo") is null, "mkfifo is not installed (coreutils)");
        using var t = new TempDir();
        await Hook("UserPromptSubmit", Prompt(t.Path, "real", "real-session-001"), t.Path);
        await Hook("UserPromptSubmit", Prompt(t.Path, "other", "fifo-session-001"), t.Path);
        string events = Path.Combine(t.Store, "fifo-session-001", "events.ndjson");
        File.Delete(events);
        await ProcessRunner.RunAsync("mkfifo", [events], s_bound);
        foreach (string[] args in new[] { new[] { "verify", "fifo-session-001" }, ["inspect", "fifo-session-001"], ["cost", "--all"] })
        {
            var sw = Stopwatch.StartNew();
            CliResult r = await AgentStraceCli.RunAsync(args, t.Path, timeout: s_bound);
            await Assert.That(sw.Elapsed).IsLessThan(s_bound);
            await Assert.That(r.Stderr + r.Stdout).Contains("not a regular file");
        }
    }
}
