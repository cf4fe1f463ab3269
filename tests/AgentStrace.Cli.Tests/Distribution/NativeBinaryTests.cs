using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>The linux-x64 AOT binary is a drop-in for minimal images: no .NET, only libc/libm, small.</summary>
public sealed class NativeBinaryTests
{
    // The size ceiling: 10 MiB for one binary (the team's rule; the earlier 8 MiB reading left no room for features).
    // Growth per change is held by the sizeBaseline guard below; docs/design-decisions.md ("Binary size") lists what
    // each size switch saved.
    private const long MaxBytes = 10L * 1024 * 1024;

    [Test]
    public async Task Binary_Ldd_OnlyLibcLibm()
    {
        string? ldd = ProcessRunner.Which("ldd");
        Skip.When(ldd is null, "ldd is not installed");
        var r = await ProcessRunner.RunAsync(ldd!, [AgentStraceCli.BinaryPath], TimeSpan.FromSeconds(30));
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        var libs = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => Path.GetFileName(l.Split(' ')[0])).ToList();
        string[] allowed = ["linux-vdso.so.1", "libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2", "libssl.so.3", "libcrypto.so.3"];
        await Assert.That(libs.Except(allowed)).IsEmpty().Because("ldd: " + r.Stdout);
        await Assert.That(libs).Contains("libc.so.6");
    }

    [Test]
    public async Task Binary_Size_UnderCeiling()
    {
        long size = new FileInfo(AgentStraceCli.BinaryPath).Length;
        Console.WriteLine($"linux-x64 agent-strace: {size} bytes ({size / 1048576.0:F2} MiB)");
        await Assert.That(size).IsLessThanOrEqualTo(MaxBytes);
    }

    // House rule: the binary may not grow more than 10% over the baseline recorded in rid-matrix.json (build.cake's
    // Publish checks every RID that has one; this checks the binary the tests run).
    [Test]
    public async Task Binary_Size_WithinGrowthLimitOfBaseline()
    {
        long baseline = RidMatrix.Targets.Single(t => t.Rid == "linux-x64").SizeBaseline;
        await Assert.That(baseline).IsGreaterThan(0).Because("rid-matrix.json records linux-x64's sizeBaseline");
        long size = new FileInfo(AgentStraceCli.BinaryPath).Length;
        double growth = (double)size / baseline - 1;
        await Assert.That(growth).IsLessThanOrEqualTo(RidMatrix.SizeGrowthLimit)
            .Because($"{size} bytes is {growth:P1} over the sizeBaseline {baseline}: find what was linked in, or raise the baseline deliberately");
    }

    [Test]
    public async Task Binary_NoDotnetEnvironment_RunsVersionAndDemo()
    {
        using var home = new TempDir();
        var version = await NoDotnet.RunAsync(AgentStraceCli.BinaryPath, ["--version"], home.Path);
        await Assert.That(version.ExitCode).IsEqualTo(0).Because(version.ToString());
        await Assert.That(version.Stdout.Trim()).IsEqualTo(RidMatrix.Version);
        var demo = await NoDotnet.RunAsync(AgentStraceCli.BinaryPath, ["demo"], home.Path);
        await Assert.That(demo.ExitCode).IsEqualTo(0).Because(demo.ToString());
        await Assert.That(demo.Stdout).Contains("d3m0c0de-7a1b-4e");
    }
}
