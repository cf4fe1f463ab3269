using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.View;

/// <summary>
/// The published binary on a real terminal (tmux, installed by .ci/run): output fits the pane, is coloured, and the
/// terminal's modes (stty settings, keypad/cursor mode) are the same after the command as before.
/// </summary>
public sealed class TerminalTtyTests
{
    private static async Task<CliResult> Tmux(string socket, params string[] args) =>
        await ProcessRunner.RunAsync("tmux", ["-L", socket, .. args], TimeSpan.FromSeconds(20));

    [Test]
    [Arguments("replay --expand-subagents")]
    [Arguments("stats")]
    [Arguments("diff 9f1c d3m0c")]
    [Arguments("list")]
    public async Task OnATerminal_FitsTheWidth_Colours_AndRestoresTheTerminal(string command)
    {
        var probe = await ProcessRunner.RunAsync("sh", ["-c", "command -v tmux"], TimeSpan.FromSeconds(10));
        Skip.When(probe.ExitCode != 0, "tmux is not installed (.ci/run installs the Debian package)");
        using var dir = new TempDir();
        string socket = "agent-strace-tty-" + Guid.NewGuid().ToString("N")[..8];
        string store = Path.Combine(Repo.Fixtures, "view-store");
        string done = Path.Combine(dir.Path, "done");
        // One script: terminal state before, the command, terminal state after; the pane shows only the command's output.
        string script = Path.Combine(dir.Path, "run.sh");
        await File.WriteAllTextAsync(script,
            $"stty -g > '{dir.Path}/before'\nclear\n'{AgentStraceCli.BinaryPath}' --trace-dir '{store}' {command}\necho \"rc=$?\" > '{dir.Path}/rc'\n" +
            $"stty -g > '{dir.Path}/after'\ntouch '{done}'\nsleep 30\n");
        try
        {
            var start = await Tmux(socket, "new-session", "-d", "-x", "90", "-y", "60", "env", "-u", "NO_COLOR", "TERM=xterm-256color", "XDG_CONFIG_HOME=" + dir.Path, "sh", script);
            await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.ToString());
            for (int i = 0; i < 200 && !File.Exists(done); i++) await Task.Delay(100);
            await Assert.That(File.Exists(done)).IsTrue().Because("the command did not finish within 20 s");
            await Assert.That(File.ReadAllText(Path.Combine(dir.Path, "rc")).Trim()).IsEqualTo("rc=0");
            await Assert.That(File.ReadAllText(Path.Combine(dir.Path, "after"))).IsEqualTo(File.ReadAllText(Path.Combine(dir.Path, "before")));
            var flags = await Tmux(socket, "display-message", "-p", "#{keypad_cursor_flag} #{keypad_flag}");
            await Assert.That(flags.Stdout.Trim()).IsEqualTo("0 0").Because("application cursor/keypad mode was left on");
            // -J joins lines the terminal wrapped: every joined line must still fit the 90 columns.
            var joined = await Tmux(socket, "capture-pane", "-p", "-J");
            var lines = joined.Stdout.Split('\n').Where(l => l.TrimEnd().Length > 0).ToList();
            await Assert.That(lines.Count).IsGreaterThan(3);
            foreach (string line in lines) await Assert.That(line.TrimEnd().Length).IsLessThanOrEqualTo(90).Because(line);
            if (command != "list")
            {
                var coloured = await Tmux(socket, "capture-pane", "-p", "-e");
                await Assert.That(coloured.Stdout).Contains("\u001b[");
            }
        }
        finally
        {
            await Tmux(socket, "kill-server");
        }
    }
}
