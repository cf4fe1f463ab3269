using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>install.sh end to end: a loopback HTTP server serves archives of the real AOT binary.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallShTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private static string Script => Path.Combine(Repo.Root, "install.sh");

    /// <summary>Runs install.sh under <paramref name="shell"/> (dash, sh or busybox sh); skips when that shell is absent.</summary>
    public static Task<CliResult> Install(string shell, IEnumerable<string> args, IDictionary<string, string?>? env = null)
    {
        string[] prefix = shell == "busybox" ? ["sh", Script] : [Script];
        string exe = ProcessRunner.Which(shell) ?? "";
        Skip.When(exe.Length == 0, $"{shell} is not installed (.ci/run installs busybox and dash comes with Debian)");
        return ProcessRunner.RunAsync(exe, [.. prefix, .. args], s_timeout, env);
    }

    [Test]
    [Arguments("dash")]
    [Arguments("sh")]
    [Arguments("bash")]
    [Arguments("busybox")]
    public async Task Install_FreshReRunUpgradeUninstall_EndToEnd(string shell)
    {
        using var release = new ReleaseFolder();
        using var home = new TempDir();
        release.AddTarGz("0.1.0", "linux-x64", ReleaseFolder.RealBinary());
        release.WriteSums();
        await using var server = new StaticFileServer(release.Path);
        string dest = Path.Combine(home.Path, "bin", "agent-strace");
        var env = new Dictionary<string, string?> { ["HOME"] = home.Path, ["AGENT_STRACE_INSTALL_UNAME_M"] = "x86_64", ["AGENT_STRACE_INSTALL_LIBC"] = "glibc" };

        var fresh = await Install(shell, ["--base-url", server.BaseUrl, "--prefix", home.Path], env);
        await Assert.That(fresh.ExitCode).IsEqualTo(0).Because(fresh.ToString());
        await Assert.That(fresh.Stdout).Contains($"installed agent-strace 0.1.0 (linux-x64) to {dest}");
        await Assert.That(ReleaseFolder.Sha256(dest)).IsEqualTo(ReleaseFolder.Sha256(ReleaseFolder.RealBinary()));
        await Assert.That(File.GetUnixFileMode(dest).HasFlag(UnixFileMode.UserExecute)).IsTrue();
        var demo = await NoDotnet.RunAsync(dest, ["demo"], home.Path);
        await Assert.That(demo.ExitCode).IsEqualTo(0).Because(demo.ToString());
        await Assert.That(demo.Stdout).Contains("d3m0c0de-7a1b-4e");

        // Re-run: same end state, nothing rewritten.
        DateTime before = File.GetLastWriteTimeUtc(dest);
        var again = await Install(shell, ["--base-url", server.BaseUrl, "--prefix", home.Path], env);
        await Assert.That(again.ExitCode).IsEqualTo(0).Because(again.ToString());
        await Assert.That(again.Stdout).Contains("agent-strace 0.1.0 is already installed");
        await Assert.That(File.GetLastWriteTimeUtc(dest)).IsEqualTo(before);

        // Upgrade: a newer version appears in the same folder; "latest" = newest in SHA256SUMS (no latest file).
        byte[] newer = ReleaseFolder.NewerBinary("0.2.0");
        release.AddTarGz("0.2.0", "linux-x64", newer);
        release.WriteSums();
        var upgrade = await Install(shell, ["--base-url", server.BaseUrl, "--prefix", home.Path], env);
        await Assert.That(upgrade.ExitCode).IsEqualTo(0).Because(upgrade.ToString());
        await Assert.That(upgrade.Stdout).Contains("upgraded").And.Contains("agent-strace 0.2.0 (linux-x64)");
        await Assert.That(ReleaseFolder.Sha256(dest)).IsEqualTo(ReleaseFolder.Sha256(newer));
        await Assert.That(Directory.GetFiles(Path.Combine(home.Path, "bin"))).Count().IsEqualTo(1);

        // --version pins an older release (downgrade); a `latest` file wins over SHA256SUMS ordering.
        var pinned = await Install(shell, ["--base-url", server.BaseUrl, "--prefix", home.Path, "--version", "v0.1.0"], env);
        await Assert.That(pinned.ExitCode).IsEqualTo(0).Because(pinned.ToString());
        await Assert.That(ReleaseFolder.Sha256(dest)).IsEqualTo(ReleaseFolder.Sha256(ReleaseFolder.RealBinary()));
        release.WriteSums(latest: "0.1.0");
        var latest = await Install(shell, ["--base-url", server.BaseUrl, "--prefix", home.Path], env);
        await Assert.That(latest.Stdout).Contains("agent-strace 0.1.0 is already installed");

        var removed = await Install(shell, ["--uninstall", "--prefix", home.Path], env);
        await Assert.That(removed.ExitCode).IsEqualTo(0);
        await Assert.That(File.Exists(dest)).IsFalse();
        var removedAgain = await Install(shell, ["--uninstall", "--prefix", home.Path], env);
        await Assert.That(removedAgain.ExitCode).IsEqualTo(0);
        await Assert.That(removedAgain.Stdout).Contains("not installed");
    }

    [Test]
    [Arguments("dash")]
    [Arguments("busybox")]
    public async Task Install_TamperedArchive_RefusedNothingInstalled(string shell)
    {
        using var release = new ReleaseFolder();
        using var home = new TempDir();
        string archive = release.AddTarGz("0.1.0", "linux-x64", ReleaseFolder.RealBinary());
        release.WriteSums();
        release.Tamper(archive);
        await using var server = new StaticFileServer(release.Path);
        var env = new Dictionary<string, string?> { ["AGENT_STRACE_INSTALL_UNAME_M"] = "x86_64", ["AGENT_STRACE_INSTALL_LIBC"] = "glibc" };
        var r = await Install(shell, ["--base-url", server.BaseUrl, "--prefix", home.Path], env);
        await Assert.That(r.ExitCode).IsEqualTo(4);
        await Assert.That(r.Stderr).Contains($"checksum mismatch for {archive}").And.Contains("nothing was installed");
        await Assert.That(Directory.GetFileSystemEntries(home.Path)).IsEmpty();
    }

    [Test]
    [Arguments("riscv64", "Linux", "unsupported architecture 'riscv64' on Linux")]
    [Arguments("x86_64", "FreeBSD", "unsupported operating system 'FreeBSD'")]
    [Arguments("x86_64", "MINGW64_NT-10.0", "Windows is installed with install.ps1")]
    public async Task Install_UnsupportedPlatform_ClearErrorExit3(string arch, string os, string message)
    {
        using var home = new TempDir();
        var env = new Dictionary<string, string?> { ["AGENT_STRACE_INSTALL_UNAME_M"] = arch, ["AGENT_STRACE_INSTALL_UNAME_S"] = os };
        var r = await Install("dash", ["--base-url", "http://127.0.0.1:9/never-contacted", "--prefix", home.Path], env);
        await Assert.That(r.ExitCode).IsEqualTo(3);
        await Assert.That(r.Stderr.Trim()).StartsWith("agent-strace-install: error: " + message);
        await Assert.That(r.Stderr.Trim().Split('\n')).Count().IsEqualTo(1);
        await Assert.That(Directory.GetFileSystemEntries(home.Path)).IsEmpty();
    }

    [Test]
    [Arguments("glibc", "aarch64", "linux-arm64")]
    [Arguments("musl", "x86_64", "linux-musl-x64")]
    [Arguments("musl", "arm64", "linux-musl-arm64")]
    public async Task Install_PlatformDetection_PicksRidArchive(string libc, string arch, string rid)
    {
        using var release = new ReleaseFolder();
        using var home = new TempDir();
        release.AddTarGz("0.1.0", "linux-x64", ReleaseFolder.NewerBinary("wrong-rid"));
        release.AddTarGz("0.1.0", rid, ReleaseFolder.RealBinary());
        release.WriteSums();
        await using var server = new StaticFileServer(release.Path);
        var env = new Dictionary<string, string?> { ["AGENT_STRACE_INSTALL_UNAME_M"] = arch, ["AGENT_STRACE_INSTALL_LIBC"] = libc };
        var r = await Install("dash", ["--base-url", server.BaseUrl, "--prefix", home.Path], env);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).Contains($"({rid})");
        await Assert.That(ReleaseFolder.Sha256(Path.Combine(home.Path, "bin", "agent-strace"))).IsEqualTo(ReleaseFolder.Sha256(ReleaseFolder.RealBinary()));
    }

    [Test]
    [Arguments("curl", 0, "installed agent-strace 0.1.0")]
    [Arguments("wget", 0, "installed agent-strace 0.1.0")]
    [Arguments("", 1, "neither curl nor wget is installed")]
    public async Task Install_Downloader_CurlElseWgetElseClearError(string downloader, int exitCode, string message)
    {
        using var release = new ReleaseFolder();
        using var home = new TempDir();
        using var tools = new TempDir();
        release.AddTarGz("0.1.0", "linux-x64", ReleaseFolder.RealBinary());
        release.WriteSums();
        await using var server = new StaticFileServer(release.Path);
        // A PATH holding only what install.sh needs, plus (or minus) the downloader under test.
        string[] needed = ["uname", "mktemp", "tar", "gzip", "sha256sum", "grep", "sed", "sort", "tail", "head", "cut", "tr", "cp", "mv", "rm", "chmod", "mkdir", "ls", "cat", "rm"];
        foreach (string t in needed.Append(downloader).Where(t => t.Length > 0).Distinct())
        {
            string? real = ProcessRunner.Which(t);
            Skip.When(real is null, $"{t} is not installed");
            File.CreateSymbolicLink(Path.Combine(tools.Path, t), real!);
        }
        var env = new Dictionary<string, string?> { ["PATH"] = tools.Path, ["AGENT_STRACE_INSTALL_UNAME_M"] = "x86_64", ["AGENT_STRACE_INSTALL_LIBC"] = "glibc" };
        var r = await Install("dash", ["--base-url", server.BaseUrl, "--prefix", home.Path], env);
        await Assert.That(r.ExitCode).IsEqualTo(exitCode).Because(r.ToString());
        await Assert.That(r.Stdout + r.Stderr).Contains(message);
        await Assert.That(File.Exists(Path.Combine(home.Path, "bin", "agent-strace"))).IsEqualTo(exitCode == 0);
    }

    [Test]
    public async Task Install_NoWritePermission_ClearError()
    {
        using var release = new ReleaseFolder();
        using var home = new TempDir();
        release.AddTarGz("0.1.0", "linux-x64", ReleaseFolder.RealBinary());
        release.WriteSums();
        await using var server = new StaticFileServer(release.Path);
        string bin = Path.Combine(home.Path, "bin");
        Directory.CreateDirectory(bin);
        File.SetUnixFileMode(bin, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(home.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(release.Path, (UnixFileMode)0b111_101_101);
        string dash = ProcessRunner.Which("dash")!;
        CliResult r;
        if (Environment.UserName == "root")
        {
            // Root ignores file modes: run the installer as an unprivileged user instead.
            string? setpriv = ProcessRunner.Which("setpriv");
            Skip.When(setpriv is null, "running as root without setpriv: cannot drop privileges to test a read-only directory");
            // The unprivileged user may not be able to read the checkout: give it its own copy of the script.
            string script = Path.Combine(release.Path, "install.sh");
            File.Copy(Script, script);
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
            r = await ProcessRunner.RunAsync(setpriv!, ["--reuid=65534", "--regid=65534", "--clear-groups", dash, script, "--base-url", server.BaseUrl, "--prefix", home.Path], s_timeout,
                new Dictionary<string, string?> { ["HOME"] = "/nonexistent", ["TMPDIR"] = "/tmp", ["AGENT_STRACE_INSTALL_UNAME_M"] = "x86_64", ["AGENT_STRACE_INSTALL_LIBC"] = "glibc" });
        }
        else
        {
            r = await Install("dash", ["--base-url", server.BaseUrl, "--prefix", home.Path], new Dictionary<string, string?> { ["AGENT_STRACE_INSTALL_UNAME_M"] = "x86_64", ["AGENT_STRACE_INSTALL_LIBC"] = "glibc" });
        }
        await Assert.That(r.ExitCode).IsEqualTo(1).Because(r.ToString());
        await Assert.That(r.Stderr).Contains($"no write permission in {bin}");
        await Assert.That(Directory.GetFileSystemEntries(bin)).IsEmpty();
    }

    [Test]
    [Arguments("--bogus", "unknown option '--bogus'")]
    [Arguments("--version", "--version needs a value")]
    public async Task Install_BadUsage_Exit2(string arg, string message)
    {
        var r = await Install("dash", [arg]);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains(message);
    }
}
