using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>The crashers of the hostile-input review: each ends in a clear line and a documented exit code, never a
/// .NET stack trace.</summary>
public sealed class CrasherCliTests
{
    private static Dictionary<string, string?> Env(TempDir t) => new() { ["AGENT_STRACE_DIR"] = t.Store };

    private static async Task NoStackTrace(CliResult r)
    {
        await Assert.That(r.Stderr).DoesNotContain("   at ").Because(r.ToString());
        await Assert.That(r.Stderr).DoesNotContain("Unhandled exception").Because(r.ToString());
    }

    private static void Session(TempDir t, string id, string meta, string events)
    {
        string dir = Path.Combine(t.Store, id);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "meta.json"), meta);
        File.WriteAllText(Path.Combine(dir, "events.ndjson"), events);
    }

    private const string Line = "{\"event_type\":\"user_prompt\",\"timestamp\":1778140800.0,\"event_id\":\"e1\",\"session_id\":\"big1\",\"data\":{\"prompt\":\"hi\"}}\n";

    [Test]
    public async Task List_HugeStartedAt_ListsTheSession()
    {
        using var t = new TempDir();
        Session(t, "huge1", "{\"session_id\":\"huge1\",\"started_at\":1e20,\"agent_name\":\"claude-code\",\"command\":\"c\"}", Line);
        CliResult r = await AgentStraceCli.RunAsync(["list"], t.Path, Env(t));
        await NoStackTrace(r);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).Contains("huge1");
    }

    [Test]
    public async Task Inspect_1e400_PrintsValidJson()
    {
        using var t = new TempDir();
        Session(t, "inf1", "{\"session_id\":\"inf1\",\"started_at\":1e400,\"agent_name\":\"claude-code\",\"command\":\"c\"}", Line);
        CliResult r = await AgentStraceCli.RunAsync(["inspect", "inf1"], t.Path, Env(t));
        await NoStackTrace(r);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        await Assert.That(doc.RootElement.GetProperty("events").GetArrayLength()).IsEqualTo(1);
    }

    [Test]
    [Arguments("verify")]
    [Arguments("inspect")]
    [Arguments("audit-readiness")]
    public async Task LineOverOneGiB_IsSkippedAndNamed_InBoundedMemory(string command)
    {
        using var t = new TempDir();
        Session(t, "big1", "{\"session_id\":\"big1\",\"started_at\":1778140800.0,\"agent_name\":\"claude-code\",\"command\":\"c\"}", Line);
        // A power-loss tail: 1.2 GiB of NULs without a newline, as a sparse file (nothing is written to disk).
        using (var f = new FileStream(Path.Combine(t.Store, "big1", "events.ndjson"), FileMode.Open, FileAccess.Write))
        {
            f.SetLength(Line.Length + 1200L * 1024 * 1024);
        }
        string[] args = command == "audit-readiness" ? [command] : [command, "big1"];
        CliResult r = await AgentStraceCli.RunAsync(args, t.Path, Env(t), timeout: TimeSpan.FromSeconds(120));
        await NoStackTrace(r);
        await Assert.That(r.ExitCode).IsNotEqualTo(70).And.IsNotEqualTo(2).Because(r.ToString());
        if (command == "verify") await Assert.That(r.Stdout).Contains("1 events verified").And.Contains("line 2: torn tail, crash during append");
        if (command == "audit-readiness") await Assert.That(r.Stdout).Contains("big1 line 2: torn tail");
        if (command == "inspect") await Assert.That(r.Stderr).Contains("events.ndjson:2: skipped malformed event line");
    }

    [Test]
    public async Task FullDiskOnStdout_IsOneLineAndExit74()
    {
        using var t = new TempDir();
        Session(t, "s1", "{\"session_id\":\"s1\",\"started_at\":1778140800.0,\"agent_name\":\"claude-code\",\"command\":\"c\"}", Line);
        CliResult r = await ProcessRunner.RunAsync("sh", ["-c", "exec \"$0\" inspect s1 > /dev/full", AgentStraceCli.BinaryPath], TimeSpan.FromSeconds(60), Env(t), t.Path);
        await NoStackTrace(r);
        await Assert.That(r.ExitCode).IsEqualTo(74);
        await Assert.That(r.Stderr.Trim()).IsEqualTo("agent-strace: I/O error: No space left on device");
    }

    [Test]
    [Arguments("{\"hooks\":{},\"hooks\":{}}", "has the key \"hooks\" twice")]
    [Arguments("{\"a\":\"\\ud800\"}", "not valid Unicode")]
    public async Task Setup_DuplicateKeyOrLoneSurrogate_IsRefusedAndTheFileKept(string content, string message)
    {
        using var t = new TempDir();
        string settings = Path.Combine(t.Path, "settings.json");
        File.WriteAllText(settings, content);
        CliResult r = await AgentStraceCli.RunAsync(["setup", "--settings", settings], t.Path, Env(t));
        await NoStackTrace(r);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains(message).And.Contains("The file was not changed");
        await Assert.That(File.ReadAllText(settings)).IsEqualTo(content);
    }

    [Test]
    [Arguments("watch", "--stream-flush-interval", "1e308")]
    [Arguments("watch", "--drain-timeout", "NaN")]
    [Arguments("watch", "--kill-grace", "-1")]
    [Arguments("watch", "--max-cost", "NaN")]
    [Arguments("watch", "--spool-max-mb", "-5")]
    [Arguments("export", "--timeout", "-1")]
    [Arguments("baseline", "--threshold", "Infinity")]
    public async Task AbsurdNumericFlag_IsAUsageError(string command, string flag, string value)
    {
        using var t = new TempDir();
        string[] args = command == "baseline" ? ["baseline", "check", flag, value] : [command, flag, value];
        CliResult r = await AgentStraceCli.RunAsync(args, t.Path, Env(t), timeout: TimeSpan.FromSeconds(30));
        await NoStackTrace(r);
        await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
        await Assert.That(r.Stderr).Contains(flag + " must be a number");
        await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
    }
}
