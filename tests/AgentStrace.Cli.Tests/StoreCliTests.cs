using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

public sealed class StoreCliTests
{
    [Test]
    public async Task Version_PrintsSemver()
    {
        var r = await AgentStraceCli.RunAsync("--version");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout.Trim()).Matches(@"^\d+\.\d+\.\d+");
    }

    [Test]
    [Arguments("list")]
    [Arguments("inspect")]
    [Arguments("demo")]
    public async Task Help_EveryCommand_PrintsUsage(string command)
    {
        var r = await AgentStraceCli.RunAsync(command, "--help");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).Contains("Usage: agent-strace " + command);
    }

    [Test]
    public async Task Demo_NoSetup_ShowsSampleSession()
    {
        using var cwd = new TempDir();
        var r = await AgentStraceCli.RunAsync(["demo"], cwd.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).Contains("d3m0c0de-7a1b-4e");
        await Assert.That(r.Stdout).Contains("sub-agent of");
        await Assert.That(r.Stdout).Contains("claude-sonnet-4-6 (tool_use)");
        await Assert.That(r.Stdout).Contains("This session cost $0.1405");
        await Assert.That(r.Stdout).Contains("agent-strace replay");
        await Assert.That(r.Stdout).Contains("error");
        await Assert.That(Directory.GetFileSystemEntries(cwd.Path)).IsEmpty();
    }

    [Test]
    public async Task List_FixtureStore_TableAndJson()
    {
        var table = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "list");
        await Assert.That(table.ExitCode).IsEqualTo(0);
        await Assert.That(table.Stdout).Contains("3 session(s)");
        var json = await AgentStraceCli.RunAsync("list", "--format", "json", "--trace-dir", Repo.SampleStore);
        using var doc = JsonDocument.Parse(json.Stdout);
        await Assert.That(doc.RootElement.GetArrayLength()).IsEqualTo(3);
        await Assert.That(doc.RootElement[0].GetProperty("session_id").GetString()).IsEqualTo("c7a05e3f91d24b68");
        await Assert.That(doc.RootElement[1].GetProperty("depth").GetInt32()).IsEqualTo(1);
    }

    [Test]
    public async Task Inspect_Prefix_PrintsUpstreamShape()
    {
        using var dir = TempDir.WithSampleStore();
        var r = await AgentStraceCli.RunAsync(["inspect", "9f1c"], dir.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        using var doc = JsonDocument.Parse(r.Stdout);
        await Assert.That(doc.RootElement.GetProperty("session").GetProperty("session_id").GetString()).IsEqualTo("9f1c2b7e-5a4d-4c");
        await Assert.That(doc.RootElement.GetProperty("events").GetArrayLength()).IsEqualTo(14);
        await Assert.That(r.Stdout).StartsWith("{\n  \"session\": {\n    \"session_id\"");
    }

    [Test]
    [Arguments("../x")]
    [Arguments("a/b")]
    [Arguments("/etc/passwd")]
    [Arguments("..")]
    public async Task Inspect_HostileId_Exit2_OneLine_NothingChanged(string id)
    {
        using var dir = TempDir.WithSampleStore();
        var before = TempDir.Snapshot(dir.Path);
        var r = await AgentStraceCli.RunAsync(["inspect", id], dir.Path);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(r.Stderr).Contains("Invalid session id");
        await Assert.That(TempDir.Snapshot(dir.Path)).IsEquivalentTo(before, TUnit.Assertions.Enums.CollectionOrdering.Any); // files by path: a dictionary has no order
    }

    [Test]
    public async Task Inspect_UnknownSession_Exit2_NamesTheFix()
    {
        using var dir = TempDir.WithSampleStore();
        var r = await AgentStraceCli.RunAsync(["inspect", "nosuch"], dir.Path);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains("agent-strace list");
    }

    [Test]
    public async Task Inspect_MalformedLines_WarnsWithLineNumber_KeepsFile()
    {
        using var dir = TempDir.WithSampleStore();
        string events = Path.Combine(dir.Store, "c7a05e3f91d24b68", "events.ndjson");
        File.AppendAllText(events, "{garbage\n");
        string before = File.ReadAllText(events);
        var r = await AgentStraceCli.RunAsync(["inspect", "c7a05e3f91d24b68"], dir.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stderr).Contains("events.ndjson:15");
        await Assert.That(File.ReadAllText(events)).IsEqualTo(before);
    }

    [Test]
    public async Task Inspect_CorruptMeta_Exit2()
    {
        using var dir = TempDir.WithSampleStore();
        File.WriteAllText(Path.Combine(dir.Store, "c7a05e3f91d24b68", "meta.json"), "{\"session_id\": ");
        var r = await AgentStraceCli.RunAsync(["inspect", "c7a05e3f91d24b68"], dir.Path);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains("meta.json");
    }

    [Test]
    public async Task UnknownCommandOrFlag_Exit2()
    {
        var a = await AgentStraceCli.RunAsync("frobnicate");
        await Assert.That(a.ExitCode).IsEqualTo(2);
        var b = await AgentStraceCli.RunAsync("list", "--bogus");
        await Assert.That(b.ExitCode).IsEqualTo(2);
        await Assert.That(b.Stderr).Contains("--bogus");
    }

    [Test]
    public async Task EmptyStore_ListSaysSo_InspectExit2()
    {
        using var dir = new TempDir();
        var l = await AgentStraceCli.RunAsync(["list"], dir.Path);
        await Assert.That(l.Stdout).Contains("agent-strace import --discover");
        var i = await AgentStraceCli.RunAsync(["inspect"], dir.Path);
        await Assert.That(i.ExitCode).IsEqualTo(2);
        await Assert.That(i.Stderr).Contains("No sessions found");
    }
}
