using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.View;

/// <summary>Help text, did-you-mean, the empty-store hint and completion scripts.</summary>
public sealed class CliPolishTests
{
    [Test]
    [Arguments("--help")]
    [Arguments("cost --help")]
    [Arguments("replay --help")]
    [Arguments("export --help")]
    [Arguments("diff --help")]
    [Arguments("baseline check --help")]
    [Arguments("help list")]
    public async Task Help_NamesTheProgram_WithoutFrameworkArtefacts(string command)
    {
        var r = await AgentStraceCli.RunAsync(command.Split(' '));
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).StartsWith("Usage: agent-strace");
        foreach (string artefact in (string[])["<string?>", "<string>", "<int?>", "<double?>", "[Default:", "@\"", "[0]", "[--version]", "[-h|--help]"])
        {
            await Assert.That(r.Stdout).DoesNotContain(artefact).Because(r.Stdout);
        }
        foreach (string line in r.Stdout.Split('\n'))
        {
            await Assert.That(System.Text.RegularExpressions.Regex.Matches(line, @"\(default").Count).IsLessThanOrEqualTo(1).Because(line);
        }
    }

    [Test]
    public async Task Help_TopLevel_ListsGlobalsEnvironmentAndExitCodes()
    {
        var r = await AgentStraceCli.RunAsync("--help");
        await Assert.That(r.Stdout).Contains("--trace-dir DIR");
        await Assert.That(r.Stdout).Contains("AGENT_TRACE_DIR");
        await Assert.That(r.Stdout).Contains("Exit codes:");
        foreach (string command in (string[])["replay", "stats", "diff", "completion"]) await Assert.That(r.Stdout).Contains("  " + command + " ");
    }

    [Test]
    [Arguments("export --fromat otlp", "Did you mean '--format'?")]
    [Arguments("replay --expand-subagent", "Did you mean '--expand-subagents'?")]
    [Arguments("lsit", "Did you mean 'list'?")]
    [Arguments("repaly", "Did you mean 'replay'?")]
    [Arguments("tree", "agent-strace replay --tree")]
    [Arguments("export --endpoint", "--endpoint needs a value")]
    public async Task Mistake_OneLine_SuggestsTheNearest(string command, string hint)
    {
        var r = await AgentStraceCli.RunAsync(command.Split(' '));
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains(hint);
        await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1).Because(r.Stderr);
    }

    [Test]
    [Arguments("list")]
    [Arguments("replay")]
    [Arguments("stats")]
    [Arguments("inspect")]
    public async Task EmptyStore_SaysHowToGetSessions(string command)
    {
        using var dir = new TempDir();
        var r = await AgentStraceCli.RunAsync([command], dir.Path);
        string said = r.Stdout + r.Stderr;
        foreach (string way in (string[])["agent-strace setup", "agent-strace import --discover", "agent-strace demo"]) await Assert.That(said).Contains(way);
    }

    [Test]
    public async Task Completion_Bash_IsValidBash_AndNamesEveryCommand()
    {
        var r = await AgentStraceCli.RunAsync("completion", "bash");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "c.bash");
        await File.WriteAllTextAsync(file, r.Stdout);
        var check = await ProcessRunner.RunAsync("bash", ["-n", file], TimeSpan.FromSeconds(20));
        await Assert.That(check.ExitCode).IsEqualTo(0).Because(check.Stderr);
        // Completing "agent-strace rep" and "agent-strace replay --ex" through the function itself.
        var complete = await ProcessRunner.RunAsync("bash", ["-c", $"source '{file}'; COMP_WORDS=(agent-strace rep); COMP_CWORD=1; _agent_strace; echo \"${{COMPREPLY[*]}}\"; COMP_WORDS=(agent-strace replay --ex); COMP_CWORD=2; _agent_strace; echo \"${{COMPREPLY[*]}}\""], TimeSpan.FromSeconds(20));
        await Assert.That(complete.Stdout).Contains("replay");
        await Assert.That(complete.Stdout).Contains("--expand-subagents");
        var help = await AgentStraceCli.RunAsync("--help");
        foreach (string line in help.Stdout.Split("Commands:\n")[1].Split("\n\n")[0].Split('\n'))
        {
            await Assert.That(r.Stdout).Contains(line.Trim().Split(' ')[0]);
        }
    }

    [Test]
    [Arguments("zsh", "-n")]
    [Arguments("fish", "--no-execute")]
    public async Task Completion_ZshFish_ParseInTheirShell(string shell, string checkFlag)
    {
        var r = await AgentStraceCli.RunAsync("completion", shell);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).Contains("replay");
        await Assert.That(r.Stdout).Contains("expand-subagents");
        var probe = await ProcessRunner.RunAsync("sh", ["-c", "command -v " + shell], TimeSpan.FromSeconds(10));
        Skip.When(probe.ExitCode != 0, $"{shell} is not installed (.ci/run installs it); the script's content was checked, not its syntax");
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "completion." + shell);
        await File.WriteAllTextAsync(file, r.Stdout);
        var check = await ProcessRunner.RunAsync(shell, [checkFlag, file], TimeSpan.FromSeconds(20));
        await Assert.That(check.ExitCode).IsEqualTo(0).Because(check.Stderr);
    }

    [Test]
    public async Task Completion_Pwsh_RegistersTheCompleter()
    {
        var r = await AgentStraceCli.RunAsync("completion", "pwsh");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).Contains("Register-ArgumentCompleter -Native -CommandName agent-strace");
        await Assert.That(r.Stdout).Contains("'--expand-subagents'");
        var bad = await AgentStraceCli.RunAsync("completion", "tcsh");
        await Assert.That(bad.ExitCode).IsEqualTo(2);
    }
}
