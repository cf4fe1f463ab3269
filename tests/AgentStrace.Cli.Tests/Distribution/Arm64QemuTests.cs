using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>linux-arm64 cross-compiled on this x64 host (clang, lld, Debian's arm64 libc/zlib) and run under qemu-aarch64.</summary>
public sealed class Arm64QemuTests
{
    private static string OutDir => Path.Combine(Repo.Root, "artifacts", "bin", "linux-arm64");

    [Test]
    [NotInParallel("arm64-publish")]
    public async Task LinuxArm64_CrossPublishedUnderQemu_RunsVersionAndDemo()
    {
        string? missing = MissingToolchain();
        Skip.When(missing is not null, $"linux-arm64 cross toolchain incomplete ({missing}); .ci/run installs it: see docs/install.md");

        var publish = await ProcessRunner.RunAsync("dotnet",
            ["publish", "src/AgentStrace", "-c", "Release", "-r", "linux-arm64", "-o", OutDir], TimeSpan.FromMinutes(20),
            workingDirectory: Repo.Root);
        await Assert.That(publish.ExitCode).IsEqualTo(0).Because(publish.ToString());
        string exe = Path.Combine(OutDir, "agent-strace");
        byte[] header = File.ReadAllBytes(exe)[..20];
        await Assert.That(BitConverter.ToUInt16(header, 18)).IsEqualTo((ushort)0xB7).Because("ELF e_machine must be EM_AARCH64");

        string qemu = ProcessRunner.Which("qemu-aarch64")!;
        using var home = new TempDir();
        var env = new Dictionary<string, string?> { ["PATH"] = home.Path, ["HOME"] = home.Path, ["TMPDIR"] = home.Path };
        var version = await ProcessRunner.RunAsync(qemu, [exe, "--version"], TimeSpan.FromMinutes(2), env, home.Path, cleanEnv: true);
        await Assert.That(version.ExitCode).IsEqualTo(0).Because(version.ToString());
        await Assert.That(version.Stdout.Trim()).IsEqualTo(RidMatrix.Version);
        var demo = await ProcessRunner.RunAsync(qemu, [exe, "demo"], TimeSpan.FromMinutes(2), env, home.Path, cleanEnv: true);
        await Assert.That(demo.ExitCode).IsEqualTo(0).Because(demo.ToString());
        await Assert.That(demo.Stdout).Contains("d3m0c0de-7a1b-4e").And.Contains("sub-agent of");
    }

    /// <summary>What is missing for the cross build and the qemu run, or null.</summary>
    public static string? MissingToolchain()
    {
        var missing = new List<string>();
        if (ProcessRunner.Which("clang") is null) missing.Add("clang");
        if (ProcessRunner.Which("aarch64-linux-gnu-gcc") is null) missing.Add("gcc-aarch64-linux-gnu");
        if (!File.Exists("/usr/lib/aarch64-linux-gnu/libz.a")) missing.Add("zlib1g-dev:arm64");
        if (!File.Exists("/lib/ld-linux-aarch64.so.1") && !File.Exists("/usr/lib/ld-linux-aarch64.so.1")) missing.Add("libc6:arm64");
        if (ProcessRunner.Which("qemu-aarch64") is null) missing.Add("qemu-user");
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }
}
