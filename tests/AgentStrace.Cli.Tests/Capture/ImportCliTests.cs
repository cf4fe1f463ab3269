using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Capture;

public sealed class ImportCliTests
{
    private const string Id = "11111111-2222-4333-8444-555555555555";
    private static string Proj => Path.Combine(Repo.Fixtures, "capture", "transcripts", "proj");

    [Test]
    public async Task Import_Twice_AddsNoDuplicatesAndLinksTheSubagent()
    {
        using var t = new TempDir();
        string file = Path.Combine(Proj, Id + ".jsonl");
        CliResult first = await AgentStraceCli.RunAsync(["import", file], t.Path);
        await Assert.That(first.ExitCode).IsEqualTo(0);
        string main = Path.Combine(t.Store, Id), child = Path.Combine(t.Store, "agent-b7c1d2e-11111111");
        string before = File.ReadAllText(Path.Combine(main, "events.ndjson")) + File.ReadAllText(Path.Combine(child, "events.ndjson"));
        CliResult second = await AgentStraceCli.RunAsync(["import", file], t.Path);
        await Assert.That(second.Stdout).Contains("0 new events");
        await Assert.That(File.ReadAllText(Path.Combine(main, "events.ndjson")) + File.ReadAllText(Path.Combine(child, "events.ndjson"))).IsEqualTo(before);

        var events = StoreFiles.Events(main);
        await Assert.That(events.Count(e => e.Type() == "tool_call")).IsEqualTo(3);
        await Assert.That(events.Count(e => e.Type() == "llm_response")).IsEqualTo(3);
        await Assert.That(events.Count(e => e.Type() == "error")).IsEqualTo(2);
        var aaa = events.Single(e => e.Type() == "llm_response" && e.Data().Str("message_id") == "msg_01AAA").Data();
        await Assert.That(aaa.GetProperty("output_tokens").GetInt64()).IsEqualTo(80);
        await Assert.That(aaa.GetProperty("cache_read_input_tokens").GetInt64()).IsEqualTo(17915);
        await Assert.That(events[0].Data().Str("prompt")).Contains("[REDACTED:connection-string]");
        var meta = StoreFiles.Meta(main);
        await Assert.That(meta.GetProperty("total_tokens").GetInt64()).IsEqualTo(3 + 7883 + 17915 + 80 + 5 + 300 + 25798 + 90 + 8 + 26100 + 40);
        await Assert.That(meta.GetProperty("total_duration_ms").GetDouble()).IsEqualTo(24000.0);
        await Assert.That(StoreFiles.ChainIntact(main)).IsTrue();

        var childMeta = StoreFiles.Meta(child);
        string taskCall = events.Single(e => e.Type() == "tool_call" && e.Data().Str("tool_name") == "Task").Str("event_id");
        await Assert.That(childMeta.Str("parent_session_id")).IsEqualTo(Id);
        await Assert.That(childMeta.Str("parent_event_id")).IsEqualTo(taskCall);
        await Assert.That(childMeta.GetProperty("llm_requests").GetInt64()).IsEqualTo(2);
    }

    [Test]
    public async Task Import_LongerFile_AppendsOnlyTheNewLines()
    {
        using var t = new TempDir();
        string full = Path.Combine(Proj, Id + ".jsonl");
        string partial = Path.Combine(t.Path, Id + ".jsonl");
        string[] lines = File.ReadAllLines(full);
        File.WriteAllLines(partial, lines[..8]);
        await AgentStraceCli.RunAsync(["import", partial], t.Path);
        int before = StoreFiles.Events(Path.Combine(t.Store, Id)).Count;
        File.WriteAllLines(partial, lines);
        await AgentStraceCli.RunAsync(["import", partial], t.Path);
        var events = StoreFiles.Events(Path.Combine(t.Store, Id));
        await Assert.That(events.Count).IsGreaterThan(before);
        await Assert.That(events.Select(e => e.Str("event_id")).Distinct().Count()).IsEqualTo(events.Count);
        await Assert.That(StoreFiles.ChainIntact(Path.Combine(t.Store, Id))).IsTrue();
    }

    [Test]
    public async Task Import_Discover_ImportsEveryProjectAndIsQuietWhenPiped()
    {
        using var t = new TempDir();
        string claude = Path.Combine(t.Path, "claude");
        TempDir.Copy(Proj, Path.Combine(claude, "projects", "-home-dev-shop"));
        CliResult r = await AgentStraceCli.RunAsync(["import", "--discover", "--claude-dir", claude], t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).Contains("imported 1 transcripts into 2 sessions");
        await Assert.That(r.Stderr).DoesNotContain("\r");
        CliResult none = await AgentStraceCli.RunAsync(["import", "--discover", "--claude-dir", Path.Combine(t.Path, "empty")], t.Path);
        await Assert.That(none.ExitCode).IsEqualTo(1);
    }

    [Test]
    public async Task Import_MissingFile_ExitsTwo()
    {
        CliResult r = await AgentStraceCli.RunAsync("import", "/nonexistent/x.jsonl");
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains("not found");
    }

    [Test]
    public async Task Import_RealTranscripts_WhenPresent_ImportWithoutErrors()
    {
        // Third-party transcripts are never copied into the repository; they sit beside it where the team shares them.
        string dir = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "fixtures", "real-transcripts"));
        Skip.When(!Directory.Exists(dir), $"the shared transcript corpus is absent ({dir})");
        using var t = new TempDir();
        foreach (string file in Directory.GetFiles(dir, "*.jsonl", SearchOption.AllDirectories).Take(10))
        {
            CliResult r = await AgentStraceCli.RunAsync(["import", file], t.Path);
            await Assert.That(r.ExitCode).IsEqualTo(0);
        }
    }
}
