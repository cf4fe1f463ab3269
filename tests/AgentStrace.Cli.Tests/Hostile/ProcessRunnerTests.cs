using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>The test runner itself must not fail when a child ignores its stdin (a usage error exits before reading).</summary>
public sealed class ProcessRunnerTests
{
    [Test]
    public async Task ChildThatNeverReadsStdin_StillGivesItsExitCode()
    {
        string big = new('x', 4 * 1024 * 1024); // far more than a pipe buffer: the write must hit the closed pipe
        CliResult r = await ProcessRunner.RunAsync("sh", ["-c", "exec 0<&-; exit 3"], TimeSpan.FromSeconds(30), stdin: big);
        await Assert.That(r.ExitCode).IsEqualTo(3);
    }
}
