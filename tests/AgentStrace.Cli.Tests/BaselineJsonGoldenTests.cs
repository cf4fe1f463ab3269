using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>
/// baseline.json is read and written through the generated document reader and writer, and <c>baseline show</c> and
/// <c>baseline check</c> print their JSON through it: the bytes must be the ones the hand-written code printed, captured
/// into <c>tests/fixtures/baseline-goldens</c> (the baseline file itself was written by that code).
/// </summary>
public sealed class BaselineJsonGoldenTests
{
    private static string Golden(string name) => Path.Combine(Repo.Fixtures, "baseline-goldens", name);
    private static string ViewStore => Path.Combine(Repo.Fixtures, "view-store");

    [Test]
    [Arguments("show.json", 0, "baseline show")]
    [Arguments("check.json", 1, "baseline check d3m0c0de-7a1b-4e")]
    [Arguments("check-stddev.json", 1, "baseline check d3m0c0de-7a1b-4e --method stddev --threshold 1.5")]
    public async Task BaselineJson_IsByteIdenticalToTheGolden(string golden, int exitCode, string command)
    {
        var r = await AgentStraceCli.RunAsync(["--trace-dir", ViewStore, .. command.Split(' '), "--baseline", Golden("baseline.json"), "--format", "json"]);
        await Assert.That(r.ExitCode).IsEqualTo(exitCode).Because(r.ToString());
        await Assert.That(r.Stdout).IsEqualTo(File.ReadAllText(Golden(golden)));
    }

    /// <summary>A file written by <c>baseline update</c> reads back to the same statistics (show prints the file plus a newline).</summary>
    [Test]
    public async Task UpdatedBaseline_ShowsAsItsOwnBytes()
    {
        using var store = TempDir.WithSampleStore();
        foreach (string dir in Directory.EnumerateDirectories(ViewStore))
        {
            string target = Path.Combine(store.Store, Path.GetFileName(dir));
            if (Directory.Exists(target)) continue;
            Directory.CreateDirectory(target);
            foreach (string f in Directory.EnumerateFiles(dir)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
        var update = await AgentStraceCli.RunAsync("--trace-dir", store.Store, "baseline", "update");
        await Assert.That(update.ExitCode).IsEqualTo(0).Because(update.ToString());
        var show = await AgentStraceCli.RunAsync("--trace-dir", store.Store, "baseline", "show", "--format", "json");
        await Assert.That(show.ExitCode).IsEqualTo(0).Because(show.ToString());
        await Assert.That(show.Stdout).IsEqualTo(File.ReadAllText(Path.Combine(store.Store, "baseline.json")) + "\n");
    }

    [Test]
    public async Task DamagedBaseline_NamesWhereInOneLine()
    {
        using var temp = new TempDir();
        string file = Path.Combine(temp.Path, "baseline.json");
        File.WriteAllText(file, "{\"version\":1,\"global\":{\"session_count\":\"x\",\"metrics\":{}}}");
        var r = await AgentStraceCli.RunAsync("--trace-dir", ViewStore, "baseline", "show", "--baseline", file);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.TrimEnd()).IsEqualTo($"agent-strace: Baseline {file} is not readable (The JSON value could not be converted to System.Int32 at $.global.session_count). Rebuild it: agent-strace baseline update");
    }
}
