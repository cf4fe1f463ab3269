using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>install.ps1 under PowerShell 7 on Linux: the real linux-x64 archive, and the Windows zip path via the platform hook.</summary>
public sealed class InstallPs1Tests
{
    private static string Script => Path.Combine(Repo.Root, "install.ps1");

    private static Dictionary<string, string?> Env(string os = "linux", string arch = "x64") =>
        new() { ["AGENT_STRACE_INSTALL_OS"] = os, ["AGENT_STRACE_INSTALL_ARCH"] = arch };

    [Test]
    public async Task InstallPs1_FreshReRunUpgradeUninstall_EndToEnd()
    {
        using var release = new ReleaseFolder();
        using var dir = new TempDir();
        release.AddTarGz("0.1.0", "linux-x64", ReleaseFolder.RealBinary());
        release.WriteSums();
        await using var server = new StaticFileServer(release.Path);
        string bin = Path.Combine(dir.Path, "bin");
        string dest = Path.Combine(bin, "agent-strace");

        var fresh = await Pwsh.RunFileAsync(Script, ["-BaseUrl", server.BaseUrl, "-InstallDir", bin], Env());
        await Assert.That(fresh.ExitCode).IsEqualTo(0).Because(fresh.ToString());
        await Assert.That(fresh.Stdout).Contains($"installed agent-strace 0.1.0 (linux-x64) to {dest}");
        var demo = await NoDotnet.RunAsync(dest, ["demo"], dir.Path);
        await Assert.That(demo.ExitCode).IsEqualTo(0).Because(demo.ToString());
        await Assert.That(demo.Stdout).Contains("d3m0c0de-7a1b-4e");

        var again = await Pwsh.RunFileAsync(Script, ["-BaseUrl", server.BaseUrl, "-InstallDir", bin], Env());
        await Assert.That(again.ExitCode).IsEqualTo(0).Because(again.ToString());
        await Assert.That(again.Stdout).Contains("agent-strace 0.1.0 is already installed");

        byte[] newer = ReleaseFolder.NewerBinary("0.2.0");
        release.AddTarGz("0.2.0", "linux-x64", newer);
        release.WriteSums();
        var upgrade = await Pwsh.RunFileAsync(Script, ["-BaseUrl", server.BaseUrl, "-InstallDir", bin], Env());
        await Assert.That(upgrade.ExitCode).IsEqualTo(0).Because(upgrade.ToString());
        await Assert.That(upgrade.Stdout).Contains("upgraded").And.Contains("agent-strace 0.2.0 (linux-x64)");
        await Assert.That(ReleaseFolder.Sha256(dest)).IsEqualTo(ReleaseFolder.Sha256(newer));

        var pinned = await Pwsh.RunFileAsync(Script, ["-BaseUrl", server.BaseUrl, "-InstallDir", bin, "-Version", "0.1.0"], Env());
        await Assert.That(pinned.ExitCode).IsEqualTo(0).Because(pinned.ToString());
        await Assert.That(ReleaseFolder.Sha256(dest)).IsEqualTo(ReleaseFolder.Sha256(ReleaseFolder.RealBinary()));

        var removed = await Pwsh.RunFileAsync(Script, ["-Uninstall", "-InstallDir", bin], Env());
        await Assert.That(removed.ExitCode).IsEqualTo(0).Because(removed.ToString());
        await Assert.That(File.Exists(dest)).IsFalse();
    }

    [Test]
    [Arguments("x64", "win-x64")]
    [Arguments("ARM64", "win-arm64")]
    public async Task InstallPs1_WindowsZip_InstallsExe(string arch, string rid)
    {
        using var release = new ReleaseFolder();
        using var dir = new TempDir();
        // The Linux binary inside a Windows-named zip: exercises the zip/.exe path on this Linux host.
        release.AddZip("0.1.0", rid, ReleaseFolder.RealBinary());
        release.WriteSums(latest: "0.1.0");
        await using var server = new StaticFileServer(release.Path);
        string bin = Path.Combine(dir.Path, "bin");
        var r = await Pwsh.RunFileAsync(Script, ["-BaseUrl", server.BaseUrl, "-InstallDir", bin], Env("windows", arch));
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).Contains($"installed agent-strace 0.1.0 ({rid})");
        await Assert.That(ReleaseFolder.Sha256(Path.Combine(bin, "agent-strace.exe"))).IsEqualTo(ReleaseFolder.Sha256(ReleaseFolder.RealBinary()));
    }

    [Test]
    public async Task InstallPs1_TamperedArchive_RefusedNothingInstalled()
    {
        using var release = new ReleaseFolder();
        using var dir = new TempDir();
        string archive = release.AddTarGz("0.1.0", "linux-x64", ReleaseFolder.RealBinary());
        release.WriteSums();
        release.Tamper(archive);
        await using var server = new StaticFileServer(release.Path);
        var r = await Pwsh.RunFileAsync(Script, ["-BaseUrl", server.BaseUrl, "-InstallDir", Path.Combine(dir.Path, "bin")], Env());
        await Assert.That(r.ExitCode).IsEqualTo(4).Because(r.ToString());
        await Assert.That(r.Stderr).Contains($"checksum mismatch for {archive}").And.Contains("nothing was installed");
        await Assert.That(Directory.GetFileSystemEntries(dir.Path)).IsEmpty();
    }

    [Test]
    public async Task InstallPs1_UnsupportedArch_ClearErrorExit3()
    {
        using var dir = new TempDir();
        var r = await Pwsh.RunFileAsync(Script, ["-BaseUrl", "http://127.0.0.1:9/never-contacted", "-InstallDir", Path.Combine(dir.Path, "bin")], Env("windows", "x86"));
        await Assert.That(r.ExitCode).IsEqualTo(3).Because(r.ToString());
        await Assert.That(r.Stderr.Trim()).StartsWith("agent-strace-install: error: unsupported architecture 'x86'");
        await Assert.That(Directory.GetFileSystemEntries(dir.Path)).IsEmpty();
    }
}
