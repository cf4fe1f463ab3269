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
        await using var server = new SilentServer();
        var started = DateTime.UtcNow;
        CliResult r = await Install(server.Url, home.Path, new() { ["AGENT_STRACE_INSTALL_TIMEOUT"] = "2" });
        TimeSpan took = DateTime.UtcNow - started;
        await Assert.That(r.ExitCode).IsEqualTo(1).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("did not answer within 2s").And.Contains("cannot download " + server.Url + "/SHA256SUMS");
        await Assert.That(took).IsLessThan(TimeSpan.FromSeconds(60)); // 2 s per attempt, 2 retries: generous bound
    }

    /// <summary>wget has no whole-download limit of its own and busybox's has no timeout flag here: the bound comes from
    /// timeout(1) (GNU's or busybox's), or from install.sh's watchdog where there is no timeout at all.</summary>
    [Test]
    [Arguments("wget", "timeout")]
    [Arguments("busybox", "busybox")]
    [Arguments("busybox", "")]
    public async Task ServerThatNeverAnswers_Wget_EndsWithAClearErrorInBoundedTime(string wget, string timeout)
    {
        using var home = new TempDir();
        using var tools = new TempDir();
        // A PATH without curl: only what install.sh needs, wget (GNU or busybox's) and timeout (or none).
        string[] needed = ["uname", "mktemp", "tar", "gzip", "sha256sum", "grep", "sed", "sort", "tail", "head", "cut", "tr", "cp", "mv", "rm", "chmod", "mkdir", "ls", "cat", "sleep"];
        foreach (var (name, real) in needed.Select(t => (t, t)).Append(("wget", wget)).Append(("timeout", timeout)).Where(t => t.Item2.Length > 0))
        {
            string? path = ProcessRunner.Which(real);
            Skip.When(path is null, $"{real} is not installed (.ci/run installs busybox)");
            File.CreateSymbolicLink(Path.Combine(tools.Path, name), path!);
        }
        await using var server = new SilentServer();
        var started = DateTime.UtcNow;
        CliResult r = await Install(server.Url, home.Path, new() { ["AGENT_STRACE_INSTALL_TIMEOUT"] = "2", ["PATH"] = tools.Path });
        TimeSpan took = DateTime.UtcNow - started;
        await Assert.That(r.ExitCode).IsEqualTo(1).Because(r.ToString());
        await Assert.That(r.Stderr).Contains(server.Url + "/SHA256SUMS did not answer within 2s").And.Contains("cannot download " + server.Url + "/SHA256SUMS");
        await Assert.That(took).IsLessThan(TimeSpan.FromSeconds(30)).Because("a 2 s bound, plus process start under load");
        await Assert.That(server.Connections).IsGreaterThan(0).Because("wget reached the server");
    }

    /// <summary>A loopback server that accepts connections, reads nothing and answers nothing.</summary>
    private sealed class SilentServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        public SilentServer()
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/release";
            _accepting = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        Socket s = await _listener.AcceptSocketAsync(_stop.Token);
                        lock (_held) _held.Add(s);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        public string Url { get; }

        public int Connections
        {
            get { lock (_held) return _held.Count; }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _accepting;
            _listener.Stop();
            lock (_held)
            {
                foreach (Socket s in _held) s.Dispose();
            }
            _stop.Dispose();
        }
    }
}
