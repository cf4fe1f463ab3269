using System.Diagnostics;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// The watchdog signals only the process recorded at capture: a pid that now belongs to another process (the agent
/// crashed and the pid was reused, or the record was forged) is refused with a message, and the process lives on.
/// </summary>
public sealed class WatchdogIdentityTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [Test]
    [Arguments(true)]
    [Arguments(false)]
    public async Task KillOnViolation_SignalsOnlyTheRecordedProcess(bool pidReused)
    {
        using var temp = new TempDir();
        using Process victim = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        try
        {
            var agent = new LiveSessionWriter(temp.Store);
            // A reused pid: the number is the same, the process behind it started at another time.
            agent.RecordAgent(victim.Id, pidReused ? "1" : null);
            agent.Append("session_start", "{}");
            for (int i = 0; i < 3; i++) agent.ToolRoundTrip("Bash", "{\"command\":\"npm test\"}", "1 failed");
            var sw = Stopwatch.StartNew();
            CliResult r = await AgentStraceCli.RunAsync(["watch", agent.Id, "--loop-threshold", "3", "--loop-window", "6", "--on-violation", "kill",
                "--kill-grace", "1", "--exit-when-idle", "2", "--quiet"], temp.Path, timeout: s_wait);
            await Assert.That(r.ExitCode).IsEqualTo(1); // a limit was crossed either way
            await Assert.That(sw.Elapsed).IsLessThan(s_wait);
            string alerts = File.ReadAllText(Path.Combine(temp.Store, "alerts.log"));
            if (pidReused)
            {
                await Assert.That(r.Stderr).Contains($"refusing to signal pid {victim.Id}");
                await Assert.That(r.Stderr).Contains("now belongs to another process");
                await Assert.That(alerts).Contains("refusing to signal");
                await Assert.That(victim.HasExited).IsFalse();
                await Assert.That(File.Exists(Path.Combine(agent.Dir, "watchdog-postmortem.json"))).IsFalse();
            }
            else
            {
                await Assert.That(victim.WaitForExit(10_000)).IsTrue();
                await Assert.That(alerts).Contains($"sent SIGTERM to agent process {victim.Id}");
                await Assert.That(File.Exists(Path.Combine(agent.Dir, "watchdog-postmortem.json"))).IsTrue();
            }
        }
        finally
        {
            if (!victim.HasExited) victim.Kill();
        }
    }
}
