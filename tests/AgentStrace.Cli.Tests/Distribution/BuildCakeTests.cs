using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>build.cake's Release target turns a folder of archives into SHA256SUMS, Homebrew and winget manifests.</summary>
public sealed class BuildCakeTests
{
    private static async Task<CliResult> Cake(params string[] args) => await CakeWith(null, args);

    private static async Task<CliResult> CakeWith(IDictionary<string, string?>? env, params string[] args)
    {
        var probe = await ProcessRunner.RunAsync("dotnet", ["cake", "--version"], TimeSpan.FromMinutes(2), workingDirectory: Repo.Root);
        Skip.When(probe.ExitCode != 0, "Cake is not restored: run 'dotnet tool restore'");
        return await ProcessRunner.RunAsync("dotnet", ["cake", "build.cake", .. args], TimeSpan.FromMinutes(5), env, Repo.Root);
    }

    // The archive of a binary depends on the binary alone (and SOURCE_DATE_EPOCH), not on when or by whom it was made.
    [Test]
    [NotInParallel("cake")]
    public async Task Archive_SameBinary_GivesIdenticalBytes()
    {
        using var first = new TempDir();
        using var second = new TempDir();
        var env = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1764000000" };
        var a = await CakeWith(env, "--target=Archive", "--rids=linux-x64", "--dist=" + first.Path);
        await Assert.That(a.ExitCode).IsEqualTo(0).Because(a.ToString());
        File.SetLastWriteTimeUtc(AgentStraceCli.BinaryPath, DateTime.UtcNow.AddMinutes(5));
        var b = await CakeWith(env, "--target=Archive", "--rids=linux-x64", "--dist=" + second.Path);
        await Assert.That(b.ExitCode).IsEqualTo(0).Because(b.ToString());

        string name = $"agent-strace-{RidMatrix.Version}-linux-x64.tar.gz";
        await Assert.That(ReleaseFolder.Sha256(Path.Combine(second.Path, name))).IsEqualTo(ReleaseFolder.Sha256(Path.Combine(first.Path, name)));
        await using var gz = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(first.Path, name)), System.IO.Compression.CompressionMode.Decompress);
        await using var tar = new System.Formats.Tar.TarReader(gz);
        var entry = await tar.GetNextEntryAsync();
        await Assert.That(entry!.Name).IsEqualTo("agent-strace");
        await Assert.That(entry.ModificationTime).IsEqualTo(DateTimeOffset.FromUnixTimeSeconds(1764000000));
        await Assert.That(entry.Mode.HasFlag(UnixFileMode.UserExecute) && entry.Mode.HasFlag(UnixFileMode.OtherExecute)).IsTrue();
        await Assert.That(entry.Length).IsEqualTo(new FileInfo(AgentStraceCli.BinaryPath).Length);
        await Assert.That(await tar.GetNextEntryAsync()).IsNull();
    }

    [Test]
    [NotInParallel("cake")]
    public async Task Release_AllRids_WritesSumsAndManifestsFromChecksums()
    {
        using var dist = new TempDir();
        var expected = new Dictionary<string, string>();
        foreach (var t in RidMatrix.Targets)
        {
            string name = $"agent-strace-{RidMatrix.Version}-{t.Rid}.{t.Archive}";
            File.WriteAllText(Path.Combine(dist.Path, name), "archive of " + t.Rid);
            expected[t.Rid] = ReleaseFolder.Sha256(Path.Combine(dist.Path, name));
        }
        var r = await Cake("--target=Release", "--dist=" + dist.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).Contains("not uploading");

        var sums = File.ReadAllLines(Path.Combine(dist.Path, "SHA256SUMS"));
        await Assert.That(sums).Count().IsEqualTo(RidMatrix.Targets.Count);
        foreach (var t in RidMatrix.Targets)
        {
            await Assert.That(sums).Contains($"{expected[t.Rid]}  agent-strace-{RidMatrix.Version}-{t.Rid}.{t.Archive}");
        }
        await Assert.That(File.ReadAllText(Path.Combine(dist.Path, "latest")).Trim()).IsEqualTo(RidMatrix.Version);

        string brew = File.ReadAllText(Path.Combine(dist.Path, "homebrew", "agent-strace.rb"));
        await Assert.That(brew).Contains($"version \"{RidMatrix.Version}\"");
        foreach (string rid in new[] { "osx-arm64", "osx-x64", "linux-arm64", "linux-x64" })
        {
            await Assert.That(brew).Contains($"agent-strace-{RidMatrix.Version}-{rid}.tar.gz\"\n      sha256 \"{expected[rid]}\"");
        }
        string winget = File.ReadAllText(Path.Combine(dist.Path, "winget", "AgentStrace.AgentStrace.installer.yaml"));
        await Assert.That(winget).Contains($"win-x64.zip\n    InstallerSha256: {expected["win-x64"]}");
        await Assert.That(winget).Contains($"win-arm64.zip\n    InstallerSha256: {expected["win-arm64"]}");
        await Assert.That(File.ReadAllText(Path.Combine(dist.Path, "install.sh"))).IsEqualTo(File.ReadAllText(Path.Combine(Repo.Root, "install.sh")));
        await Assert.That(File.Exists(Path.Combine(dist.Path, "install.ps1"))).IsTrue();
        foreach (string f in Directory.GetFiles(dist.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".sh") && !f.EndsWith(".ps1")))
        {
            await Assert.That(File.ReadAllText(f)).DoesNotContain("${");
        }
    }

    [Test]
    [NotInParallel("cake")]
    public async Task Release_MissingRid_FailsNamingIt()
    {
        using var dist = new TempDir();
        foreach (var t in RidMatrix.Targets.Where(t => t.Rid != "win-arm64"))
        {
            File.WriteAllText(Path.Combine(dist.Path, $"agent-strace-{RidMatrix.Version}-{t.Rid}.{t.Archive}"), t.Rid);
        }
        var r = await Cake("--target=Release", "--dist=" + dist.Path);
        await Assert.That(r.ExitCode).IsNotEqualTo(0);
        await Assert.That(r.Stdout + r.Stderr).Contains("release incomplete: no archive for win-arm64");
        await Assert.That(File.Exists(Path.Combine(dist.Path, "SHA256SUMS"))).IsFalse();
    }
}
