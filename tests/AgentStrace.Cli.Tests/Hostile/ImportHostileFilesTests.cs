using System.Diagnostics;
using AgentStrace.Cli.Tests.Capture;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// What `import` opens besides the transcript's lines, as a hostile home or store would leave it: a FIFO named like a
/// transcript (its fingerprint and format sniffing used to open it for reading, which blocks until a writer comes) and a
/// planted link as the store's import state. Each ends in bounded time and writes nothing through the link.
/// </summary>
public sealed class ImportHostileFilesTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(20);

    [Test]
    public async Task FifoNamedLikeATranscript_IsSkipped_AndTheOthersImported()
    {
        Skip.When(ProcessRunner.Which("mkfifo") is null, "mkfifo is not installed (coreutils)");
        using var t = new TempDir();
        string project = Path.Combine(t.Path, "claude", "projects", "-home-dev-app");
        string good = Path.Combine(project, "aaaaaaaa-1111-4222-8333-444455556666.jsonl");
        new ClaudeTranscript("aaaaaaaa-1111-4222-8333-444455556666").Prompt("hello")
            .Response("msg_1", "claude-sonnet-4-5-20250929", new ClaudeTranscript.Usage(10, 20)).Save(good);
        string fifo = Path.Combine(project, "bbbbbbbb-1111-4222-8333-444455556666.jsonl");
        await ProcessRunner.RunAsync("mkfifo", [fifo], s_bound);

        var sw = Stopwatch.StartNew();
        CliResult discover = await AgentStraceCli.RunAsync(["import", "--discover", "--claude-dir", Path.Combine(t.Path, "claude")], t.Path, timeout: s_bound);
        await Assert.That(sw.Elapsed).IsLessThan(s_bound);
        await Assert.That(discover.ExitCode).IsEqualTo(0).Because(discover.ToString());
        await Assert.That(discover.Stderr).Contains("skipping " + fifo).And.Contains("a FIFO, not a regular file");
        await Assert.That(discover.Stdout).Contains("imported 1 transcripts into 1 sessions").And.Contains("1 failed");

        sw.Restart();
        CliResult direct = await AgentStraceCli.RunAsync(["import", fifo], t.Path, timeout: s_bound);
        await Assert.That(sw.Elapsed).IsLessThan(s_bound);
        await Assert.That(direct.ExitCode).IsNotEqualTo(0);
        await Assert.That(direct.Stderr).Contains("a FIFO, not a regular file").And.DoesNotContain("   at ");
    }

    [Test]
    public async Task PlantedImportStateLink_IsNeitherReadNorWrittenThrough()
    {
        using var t = new TempDir();
        string transcript = Path.Combine(t.Path, "cccccccc-1111-4222-8333-444455556666.jsonl");
        new ClaudeTranscript("cccccccc-1111-4222-8333-444455556666").Prompt("hello").Save(transcript);
        string victim = Path.Combine(t.Path, "victim");
        File.WriteAllText(victim, "IMPORTANT\n");
        Directory.CreateDirectory(t.Store);
        File.CreateSymbolicLink(Path.Combine(t.Store, ".import-state"), victim);

        CliResult import = await AgentStraceCli.RunAsync(["import", transcript], t.Path, timeout: s_bound);
        await Assert.That(import.ExitCode).IsEqualTo(0).Because(import.ToString());
        await Assert.That(File.ReadAllText(victim)).IsEqualTo("IMPORTANT\n");
        await Assert.That(Directory.Exists(Path.Combine(t.Store, "cccccccc-1111-4222-8333-444455556666"))).IsTrue();
    }
}
