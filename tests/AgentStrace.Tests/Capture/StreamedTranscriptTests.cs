using AgentStrace.Capture.Import;
using AgentStrace.Capture.Redaction;
using AgentStrace.Store;
using AgentStrace.Testing;
using U = AgentStrace.Testing.ClaudeTranscript.Usage;

namespace AgentStrace.Tests.Capture;

/// <summary>
/// A transcript read twice (routed and planned first, then mapped line by line from the file) is stored byte for byte
/// as one held in memory: main thread, sub-agent files, sidechain lines in the main file, mirror-only sub-agents,
/// requests split over lines and interleaved, held-back requests, and the shared real transcripts.
/// </summary>
public sealed class StreamedTranscriptTests
{
    private const string Sid = "5e1f0a00-1111-4222-8333-444455556666";

    [Test]
    public async Task BuiltTranscript_StreamedAndHeld_StoreTheSameBytes()
    {
        using var dir = new TempDir();
        string main = WriteProject(dir.Path);
        foreach (double unsettled in (double[])[double.PositiveInfinity, 0])
        {
            (string held, string streamed) = ImportBoth(dir.Path, main, unsettled);
            await AssertSameFiles(held, streamed);
            await Assert.That(Directory.GetDirectories(streamed).Length).IsEqualTo(4); // main, own-file agent, mirror-only, sidechain-in-main
        }
    }

    [Test]
    public async Task RealTranscripts_StreamedAndHeld_StoreTheSameBytes()
    {
        string shared = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "fixtures", "real-transcripts", "claude-code"));
        string local = Path.Combine(Repo.Root, "tests", "fixtures", "capture", "transcripts", "proj");
        if (!Directory.Exists(shared)) Skip.Test($"the shared real transcripts are not at {shared}");
        using var dir = new TempDir();
        var files = Directory.GetFiles(shared, "*.jsonl").Concat(Directory.GetFiles(local, "*.jsonl")).ToList();
        files.Add(Path.Combine(shared, "spotter-ae4a77f8.jsonl")); // an orphan sub-agent folder
        int i = 0;
        foreach (string file in files)
        {
            (string held, string streamed) = ImportBoth(Path.Combine(dir.Path, (i++).ToString(System.Globalization.CultureInfo.InvariantCulture)), file, double.PositiveInfinity);
            await AssertSameFiles(held, streamed);
            await Assert.That(Directory.GetDirectories(streamed).Length).IsGreaterThan(0).Because(file);
        }
    }

    [Test]
    public async Task FileRewrittenBetweenThePasses_FailsAndStoresNothing()
    {
        using var dir = new TempDir();
        string main = WriteProject(dir.Path);
        var store = new TraceStore(Path.Combine(dir.Path, "store"));
        IEnumerator<ImportedSession> sessions = TranscriptImporter.Read(main, Redactor.Off, holdBytes: 0).GetEnumerator();
        await Assert.That(sessions.MoveNext()).IsTrue(); // the first pass has run
        File.WriteAllText(main, string.Join("\n", File.ReadAllLines(main).Where((_, n) => n % 2 == 0)) + "\n");
        var writer = new SessionImportWriter(store, Redactor.Off);
        await Assert.That(() => writer.Write(sessions.Current)).Throws<IOException>();
        await Assert.That(Directory.Exists(store.Root) ? Directory.GetFileSystemEntries(store.Root) : []).IsEmpty();
    }

    private static (string Held, string Streamed) ImportBoth(string root, string transcript, double unsettledAfter)
    {
        string held = Path.Combine(root, "held"), streamed = Path.Combine(root, "streamed");
        var redactor = Redactor.For(true);
        new HistoryImport(new TraceStore(held), redactor, p => TranscriptImporter.Read(p, redactor, unsettledAfter, holdBytes: long.MaxValue)).Run([transcript]);
        new HistoryImport(new TraceStore(streamed), redactor, p => TranscriptImporter.Read(p, redactor, unsettledAfter, holdBytes: 0)).Run([transcript]);
        return (held, streamed);
    }

    private static async Task AssertSameFiles(string a, string b)
    {
        string[] Files(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Where(f => f != ".import-state").Order(StringComparer.Ordinal).ToArray();
        string[] names = Files(a);
        await Assert.That(Files(b)).IsEquivalentTo(names, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(names.Length).IsGreaterThan(0);
        foreach (string name in names)
        {
            await Assert.That(File.ReadAllBytes(Path.Combine(b, name)).SequenceEqual(File.ReadAllBytes(Path.Combine(a, name)))).IsTrue().Because(name);
        }
    }

    /// <summary>
    /// A main thread whose Task spawns "a1b2c3d" (own file, also mirrored), "m0rr0r1" (mirror only) and a sidechain
    /// written into the main file; msg_m1's lines are split by another request's; the last request may be streaming.
    /// </summary>
    private static string WriteProject(string root)
    {
        string project = Path.Combine(root, "claude", "projects", "-home-dev-app");
        string mainFile = Path.Combine(project, Sid + ".jsonl");
        var sub = new ClaudeTranscript(Sid, agentId: "a1b2c3d").Prompt("find the bug")
            .Response("msg_s1", "claude-haiku-4-5-20251001", new U(10, 200, Cache1h: 5_000), "looking", ("toolu_s1", "Read", """{"file_path":"/x.cs"}"""))
            .ToolResult("toolu_s1", "class X {}")
            .Response("msg_s2", "claude-haiku-4-5-20251001", new U(20, 300, CacheRead: 5_000), "found it");
        var mirrorOnly = new ClaudeTranscript(Sid, agentId: "m0rr0r1").Prompt("look around")
            .Response("msg_r1", "claude-haiku-4-5-20251001", new U(7, 70), "seen", ("toolu_r1", "Grep", """{"pattern":"x"}"""));
        var side = new ClaudeTranscript(Sid, agentId: "s1d3ch4").Prompt("side work")
            .Response("msg_x1", "claude-sonnet-4-5-20250929", new U(9, 90), "side done");
        var main = new ClaudeTranscript(Sid).Prompt("fix the bug with key sk-ant-api03-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Ll")
            .Response("msg_m1", "claude-opus-4-6", new U(3, 50, Cache1h: 20_000), "delegating",
                ("toolu_task", "Task", """{"description":"find","prompt":"find the bug","subagent_type":"Explore"}"""),
                ("toolu_task2", "Task", """{"description":"look","prompt":"look","subagent_type":"general-purpose"}"""))
            .Mirror("a1b2c3d", "toolu_task", sub, 1)
            .Mirror("m0rr0r1", "toolu_task2", mirrorOnly, 1)
            .Mirror("m0rr0r1", "toolu_task2", mirrorOnly, 2)
            .ToolResult("toolu_task", "found it", agentIdResult: "a1b2c3d")
            .ToolResult("toolu_task2", "seen it", isError: true)
            .TurnDuration(1234)
            .Response("msg_m2", "claude-opus-4-6", new U(5, 100, CacheRead: 20_000), "fixed", ("toolu_b", "Bash", """{"command":"make"}"""));
        var lines = main.Lines.ToList();
        lines.InsertRange(3, side.Lines); // sidechain lines inside the main file, between msg_m1's lines
        lines.Add(lines[^1]); // a repeated line: its events are stored once
        Directory.CreateDirectory(project);
        File.WriteAllText(mainFile, "\uFEFF" + string.Join("\n", lines) + "\n{\"type\":\"user\",\"incomplete");
        sub.Save(Path.Combine(project, Sid, "subagents", "agent-a1b2c3d.jsonl"));
        return mainFile;
    }
}
