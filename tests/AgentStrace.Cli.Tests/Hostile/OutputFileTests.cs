using System.Diagnostics;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// <c>--output FILE</c> for every kind of FILE: a regular file is replaced atomically keeping its mode, a new one is
/// private, a FIFO or character device is written through, a link is refused unless followed on request, a directory
/// is refused. Each case checks the exit code, the message and what is on disk afterwards.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputFileTests
{
    private const string Session = "c7a05e3f91d24b68";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private static Task<CliResult> Export(string output, string format = "json", params string[] extra) =>
        AgentStraceCli.RunAsync(["--trace-dir", Repo.SampleStore, "export", Session, "--format", format, "--output", output, .. extra], timeout: s_bound);

    [Test]
    [Arguments("json")]
    [Arguments("otlp-genai")]
    [Arguments("eu-ai-act")]
    public async Task ExistingPrivateFile_IsReplacedAndKeepsItsMode(string format)
    {
        using var t = new TempDir();
        string file = Path.Combine(t.Path, "mine.json");
        File.WriteAllText(file, "secret");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        CliResult r = await Export(file, format);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(File.GetUnixFileMode(file)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(File.ReadAllText(file)).Contains(Session);
        await Assert.That(Directory.GetFiles(t.Path)).IsEquivalentTo(new[] { file }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task ExistingGroupReadableFile_KeepsItsModeAndANewFileIsPrivate()
    {
        using var t = new TempDir();
        string shared = Path.Combine(t.Path, "shared.json");
        File.WriteAllText(shared, "old");
        UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
        File.SetUnixFileMode(shared, mode);
        await Assert.That((await Export(shared)).ExitCode).IsEqualTo(0);
        await Assert.That(File.GetUnixFileMode(shared)).IsEqualTo(mode);

        string fresh = Path.Combine(t.Path, "new.json");
        await Assert.That((await Export(fresh)).ExitCode).IsEqualTo(0);
        await Assert.That(File.GetUnixFileMode(fresh)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task Fifo_IsWrittenThroughAsAStream()
    {
        Skip.When(ProcessRunner.Which("mkfifo") is null, "mkfifo is not installed (coreutils)");
        using var t = new TempDir();
        string fifo = Path.Combine(t.Path, "pipe");
        await ProcessRunner.RunAsync("mkfifo", [fifo], s_bound);
        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));
        CliResult r = await Export(fifo, "ndjson");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        string received = await reader.WaitAsync(s_bound);
        await Assert.That(received).Contains(Session);
        CliResult kind = await ProcessRunner.RunAsync("stat", ["-c", "%F", fifo], s_bound);
        await Assert.That(kind.Stdout.Trim()).IsEqualTo("fifo");
    }

    [Test]
    public async Task CharacterDeviceAndStdout_AreWrittenThroughNeverReplaced()
    {
        CliResult devNull = await Export("/dev/null");
        await Assert.That(devNull.ExitCode).IsEqualTo(0);
        CliResult kind = await ProcessRunner.RunAsync("stat", ["-c", "%F", "/dev/null"], s_bound);
        await Assert.That(kind.Stdout.Trim()).IsEqualTo("character special file");
        await Assert.That(Directory.GetFiles("/dev", "null.tmp*")).IsEmpty();

        CliResult stdout = await Export("/dev/stdout", "ndjson");
        await Assert.That(stdout.ExitCode).IsEqualTo(0);
        await Assert.That(stdout.Stdout).Contains(Session);
    }

    [Test]
    public async Task Symlink_IsRefusedUnlessFollowed()
    {
        using var t = new TempDir();
        string target = Path.Combine(t.Path, "target.txt");
        File.WriteAllText(target, "keep");
        string link = Path.Combine(t.Path, "link.json");
        File.CreateSymbolicLink(link, target);
        var sw = Stopwatch.StartNew();
        CliResult refused = await Export(link);
        await Assert.That(refused.ExitCode).IsEqualTo(2);
        await Assert.That(refused.Stderr).Contains("is a symbolic link");
        await Assert.That(refused.Stderr).Contains("--follow-symlinks");
        await Assert.That(File.ReadAllText(target)).IsEqualTo("keep");
        await Assert.That(new FileInfo(link).LinkTarget).IsEqualTo(target);
        await Assert.That(sw.Elapsed).IsLessThan(s_bound);

        CliResult followed = await Export(link, "json", "--follow-symlinks");
        await Assert.That(followed.ExitCode).IsEqualTo(0);
        await Assert.That(new FileInfo(link).LinkTarget).IsEqualTo(target); // the link stays a link
        await Assert.That(File.ReadAllText(target)).Contains(Session);
    }

    [Test]
    public async Task Directory_IsRefused()
    {
        using var t = new TempDir();
        CliResult r = await Export(t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains("is a directory");
        await Assert.That(Directory.GetFileSystemEntries(t.Path)).IsEmpty();
    }
}
