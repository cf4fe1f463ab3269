using System.Diagnostics;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// Paths and numbers given on the command line or found beside the user's files, as a hostile or careless caller gives
/// them: a FIFO, a device, a directory, an empty name, an absurd number. Each is one line and exit 2, in bounded time,
/// never a wait, a stack trace or a verdict about nothing.
/// </summary>
public sealed class NamedPathCliTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(20);

    private static async Task<CliResult> Run(TempDir t, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        CliResult r = await AgentStraceCli.RunAsync(args, t.Path, new Dictionary<string, string?> { ["HOME"] = t.Path }, null, s_bound);
        await Assert.That(clock.Elapsed).IsLessThan(s_bound);
        await Assert.That(r.Stderr).DoesNotContain("   at ").Because(r.ToString());
        await Assert.That(r.Stderr.TrimEnd('\n').Split('\n').Length).IsEqualTo(1).Because(r.ToString());
        return r;
    }

    private static async Task<string> Fifo(TempDir t, string name)
    {
        string path = Path.Combine(t.Path, name);
        CliResult made = await ProcessRunner.RunAsync("mkfifo", [path], s_bound);
        if (made.ExitCode != 0) throw new InvalidOperationException(made.ToString());
        return path;
    }

    [Test]
    [Arguments("fifo", "is a FIFO, not a regular file")]
    [Arguments("/dev/zero", "is a character device, not a regular file")]
    [Arguments("link-to-zero", "is a character device, not a regular file")]
    [Arguments("dir", "is a directory, not a regular file")]
    [Arguments("", "--from-export needs the path")]
    public async Task VerifyFromExport_NotARegularFile_IsRefused(string input, string message)
    {
        Skip.When(ProcessRunner.Which("mkfifo") is null, "mkfifo is not installed (coreutils)");
        using var t = new TempDir();
        string path = input switch
        {
            "fifo" => await Fifo(t, "pkg.json"),
            "link-to-zero" => File.CreateSymbolicLink(Path.Combine(t.Path, "pkg.json"), "/dev/zero").FullName,
            "dir" => Directory.CreateDirectory(Path.Combine(t.Path, "pkg")).FullName,
            _ => input,
        };
        CliResult r = await Run(t, "verify", "--from-export", path);
        await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
        await Assert.That(r.Stderr).Contains(message);
        await Assert.That(r.Stdout).DoesNotContain("intact");
    }

    [Test]
    public async Task VerifyFromExport_ThroughALinkToARealPackage_IsVerified()
    {
        using var t = TempDir.WithSampleStore();
        string package = Path.Combine(t.Path, "pkg.json");
        CliResult export = await AgentStraceCli.RunAsync(["export", "--all", "--format", "eu-ai-act", "--output", package], t.Path);
        await Assert.That(export.ExitCode).IsEqualTo(0).Because(export.ToString());
        string link = Path.Combine(t.Path, "link.json");
        File.CreateSymbolicLink(link, package);
        CliResult r = await AgentStraceCli.RunAsync(["verify", "--from-export", link], t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).Contains("Export hash chain intact");
    }

    [Test]
    [Arguments("fifo", "is a FIFO, not a directory")]
    [Arguments("file", "is a file, not a directory")]
    [Arguments("/dev/null", "is a character device, not a directory")]
    public async Task Store_ThatIsNotADirectory_IsOneLine_NotAnEmptyListing(string kind, string message)
    {
        Skip.When(ProcessRunner.Which("mkfifo") is null, "mkfifo is not installed (coreutils)");
        using var t = new TempDir();
        string store = kind switch
        {
            "fifo" => await Fifo(t, "store"),
            "file" => Path.Combine(t.Path, "store"),
            _ => kind,
        };
        if (kind == "file") File.WriteAllText(store, "not a store");
        foreach (string[] command in new[] { new[] { "list" }, ["verify", "--all"], ["cost", "--all"] })
        {
            CliResult r = await Run(t, ["--trace-dir", store, .. command]);
            await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
            await Assert.That(r.Stderr).Contains(message);
        }
    }

    [Test]
    [Arguments("fifo")]
    [Arguments("link-to-zero")]
    public async Task Setup_SettingsThatAreNotARegularFile_AreRefused_AndLeftAlone(string kind)
    {
        Skip.When(ProcessRunner.Which("mkfifo") is null, "mkfifo is not installed (coreutils)");
        using var t = new TempDir();
        Directory.CreateDirectory(Path.Combine(t.Path, ".claude"));
        string settings = Path.Combine(t.Path, ".claude", "settings.json");
        if (kind == "fifo")
        {
            CliResult made = await ProcessRunner.RunAsync("mkfifo", [settings], s_bound);
            await Assert.That(made.ExitCode).IsEqualTo(0);
        }
        else
        {
            File.CreateSymbolicLink(settings, "/dev/zero");
        }
        foreach (string[] args in new[] { new[] { "setup" }, ["setup", "--agent", "codex", "--settings", settings] })
        {
            CliResult r = await Run(t, args);
            await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
            await Assert.That(r.Stderr).Contains("not a regular file");
            await Assert.That(r.Stderr).Contains("the file was not changed");
        }
        await Assert.That(Directory.GetFiles(Path.Combine(t.Path, ".claude")).Length).IsEqualTo(1);
        await Assert.That(kind == "fifo" ? new FileInfo(settings).LinkTarget is null : new FileInfo(settings).LinkTarget == "/dev/zero").IsTrue();
    }

    [Test]
    [Arguments("audit-readiness", "--retention-days", "1e20", "--retention-days must be a number of days from 0 to 1000000")]
    [Arguments("audit-readiness", "--retention-days", "NaN", "--retention-days must be a number of days from 0 to 1000000")]
    [Arguments("cost", "--input-price", "1e20", "--input-price and --output-price must be numbers from 0 to 1000000")]
    [Arguments("cost", "--input-price", "Infinity", "--input-price and --output-price must be numbers from 0 to 1000000")]
    public async Task AbsurdNumber_IsAUsageError(string command, string flag, string value, string message)
    {
        using var t = TempDir.WithSampleStore();
        string[] args = command == "cost" ? [command, flag, value, "--output-price", "1"] : [command, flag, value];
        CliResult r = await Run(t, args);
        await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
        await Assert.That(r.Stderr).Contains(message);
    }
}
