using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using AgentStrace.Cli.Tests.Distribution;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>install.sh against hostile mirrors on loopback: archives whose checksum matches but whose member is a
/// symlink or climbs out of the target, and a server that accepts the connection and never answers.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallShHostileTests
{
    private static readonly Dictionary<string, string?> s_platform = new() { ["AGENT_STRACE_INSTALL_UNAME_M"] = "x86_64", ["AGENT_STRACE_INSTALL_LIBC"] = "glibc" };

    private static void Archive(ReleaseFolder release, Action<TarWriter> members)
    {
        using (var file = File.Create(Path.Combine(release.Path, "agent-strace-0.1.0-linux-x64.tar.gz")))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
        {
            members(tar);
        }
        release.WriteSums();
    }

    private static async Task<CliResult> Install(string baseUrl, string prefix, Dictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>(s_platform) { ["HOME"] = prefix };
        foreach (var (k, v) in extra ?? []) env[k] = v;
        return await InstallShTests.Install("sh", ["--base-url", baseUrl, "--prefix", prefix], env);
    }

    [Test]
    public async Task SymlinkMember_IsRefusedAndNothingInstalled()
    {
        using var release = new ReleaseFolder();
        using var home = new TempDir();
        string secret = Path.Combine(home.Path, "secret.txt");
        File.WriteAllText(secret, "not for bin/");
        Archive(release, tar => tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "agent-strace") { LinkName = secret }));
        await using var server = new StaticFileServer(release.Path);
        CliResult r = await Install(server.BaseUrl, home.Path);
        await Assert.That(r.ExitCode).IsEqualTo(4).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("not a regular file ('agent-strace'); nothing was installed");
        await Assert.That(File.Exists(Path.Combine(home.Path, "bin", "agent-strace"))).IsFalse();
    }

    [Test]
    public async Task MemberEscapingTheTarget_IsRefusedBeforeUnpacking()
    {
        using var release = new ReleaseFolder();
        using var home = new TempDir();
        Archive(release, tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../escaped") { DataStream = new MemoryStream("x"u8.ToArray()) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "agent-strace") { DataStream = new MemoryStream("y"u8.ToArray()) });
        });
        await using var server = new StaticFileServer(release.Path);
        CliResult r = await Install(server.BaseUrl, home.Path);
        await Assert.That(r.ExitCode).IsEqualTo(4).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("holds a member outside the target ('../escaped')");
        await Assert.That(File.Exists(Path.Combine(home.Path, "bin", "agent-strace"))).IsFalse();
    }

    [Test]
    public async Task ServerThatNeverAnswers_EndsWithAClearErrorInBoundedTime()
    {
        Skip.When(ProcessRunner.Which("curl") is null, "curl is not installed (.ci/run installs it)");
        using var home = new TempDir();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<Socket>();
        using var stop = new CancellationTokenSource();
        Task accepting = Task.Run(async () =>
        {
            try
            {
                while (true) held.Add(await listener.AcceptSocketAsync(stop.Token)); // accept, read nothing, answer nothing
            }
            catch (OperationCanceledException)
            {
            }
        });
        string url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/release";
        var started = DateTime.UtcNow;
        CliResult r = await Install(url, home.Path, new() { ["AGENT_STRACE_INSTALL_TIMEOUT"] = "2" });
        TimeSpan took = DateTime.UtcNow - started;
        await stop.CancelAsync();
        await accepting;
        foreach (Socket s in held) s.Dispose();
        await Assert.That(r.ExitCode).IsEqualTo(1).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("did not answer within 2s").And.Contains("cannot download " + url + "/SHA256SUMS");
        await Assert.That(took).IsLessThan(TimeSpan.FromSeconds(60)); // 2 s per attempt, 2 retries: generous bound
    }
}
