using AgentStrace.Capture.Import;
using AgentStrace.Capture.Redaction;
using AgentStrace.Compliance;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;
using static AgentStrace.Tests.Capture.StoredRedaction;
using U = AgentStrace.Testing.ClaudeTranscript.Usage;

namespace AgentStrace.Tests.Capture;

/// <summary>
/// How an import writes: each value redacted once (by the mapper, before texts are cut), a new session published whole
/// by a rename (no lock, no .tail), and a session someone else writes meanwhile merged under the lock.
/// </summary>
public sealed class ImportWriteTests
{
    private const string Sid = "5ec2e700-1111-4222-8333-444455556666";

    /// <summary>Secrets in a prompt, a tool's arguments (by shape and under a sensitive key), a tool result cut past its
    /// limit, an assistant text and a sub-agent.</summary>
    private static string WriteSecrets(string claudeDir)
    {
        string project = Path.Combine(claudeDir, "projects", "-home-dev-app");
        // The token sits across the 2,000-character cut of the tool result: redacted before cutting, never half kept.
        string longResult = new string('x', 1_990) + " " + Github + " " + new string('y', 5_000);
        var sub = new ClaudeTranscript(Sid, agentId: "b1b2b3b").Prompt("check " + Aws)
            .Response("msg_s1", "claude-haiku-4-5-20251001", new U(10, 20, CacheRead: 1_000), "saw " + Anthropic);
        new ClaudeTranscript(Sid).Prompt("deploy with token " + Github + " please")
            .Response("msg_1", "claude-sonnet-4-5-20250929", new U(3, 40, Cache5m: 2_000), "running",
                ("toolu_1", "Bash", $$"""{"command":"curl -H 'x: {{Anthropic}}' https://example.test","api_key":"{{Password}}"}"""))
            .ToolResult("toolu_1", longResult)
            .Response("msg_2", "claude-sonnet-4-5-20250929", new U(5, 60, CacheRead: 2_000), "the key was " + Aws,
                ("toolu_2", "Task", """{"description":"check","prompt":"check","subagent_type":"Explore"}"""))
            .ToolResult("toolu_2", "done", agentIdResult: "b1b2b3b")
            .Save(Path.Combine(project, Sid + ".jsonl"));
        sub.Save(Path.Combine(project, Sid, "subagents", "agent-b1b2b3b.jsonl"));
        return claudeDir;
    }

    private static TraceStore Import(string claudeDir, string storeDir, Redactor redactor)
    {
        var store = new TraceStore(storeDir);
        var import = new HistoryImport(store, redactor, path => TranscriptImporter.Read(path, redactor));
        import.Run(TranscriptImporter.Discover(claudeDir));
        return store;
    }

    private static List<TraceEvent> Events(SessionInfo s) => StoredRedaction.Events(s);

    [Test]
    public async Task Secrets_NeverReachTheStore_RedactedOnce_CostAndTokensUnchanged()
    {
        using var dir = new TempDir();
        string claude = WriteSecrets(Path.Combine(dir.Path, "claude"));
        TraceStore redacted = Import(claude, Path.Combine(dir.Path, "on"), Redactor.On);
        TraceStore plain = Import(claude, Path.Combine(dir.Path, "off"), Redactor.Off);

        string stored = string.Concat(Directory.GetFiles(redacted.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (string secret in new[] { Github, Aws, Anthropic, Password, Github[..20] })
        {
            await Assert.That(stored.Contains(secret, StringComparison.Ordinal)).IsFalse();
        }
        string unredacted = string.Concat(Directory.GetFiles(plain.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        await Assert.That(unredacted.Contains(Github, StringComparison.Ordinal) && unredacted.Contains(Password, StringComparison.Ordinal)).IsTrue();

        List<SessionInfo> sessions = redacted.List();
        await Assert.That(sessions.Count).IsEqualTo(2);
        int flagged = 0;
        foreach (SessionInfo s in sessions) flagged += await StoredRedaction.AssertRedactedOnce(s);
        // prompt, arguments and text in the main session, prompt and text in the sub-agent; the tool result is cut before
        // its token, whole (the marker would straddle the cut), so it holds neither token nor marker.
        await Assert.That(flagged).IsEqualTo(5);

        var on = await StoredRedaction.AssertSameBilling(redacted, plain);
        // sonnet 4.5: 3 × $3 + 40 × $15 + 2,000 5m × $3.75 = $0.008109; 5 × $3 + 60 × $15 + 2,000 × $0.30 = $0.001515
        await Assert.That(Math.Round(on[Sid].Cost.TotalUsd, 9)).IsEqualTo(0.009624);
    }

    [Test]
    public async Task NewSession_PublishedWhole_NoLockTailOrStagingLeft_ALaterAppendContinuesTheChain()
    {
        using var dir = new TempDir();
        string claude = WriteSecrets(Path.Combine(dir.Path, "claude"));
        TraceStore store = Import(claude, Path.Combine(dir.Path, "fresh", "store"), Redactor.On);
        await Assert.That(Directory.GetDirectories(store.Root).Select(d => Path.GetFileName(d)!).Order().ToArray())
            .IsEquivalentTo(new[] { Sid, "agent-b1b2b3b-5ec2e700" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        SessionInfo main = store.Find(Sid);
        await Assert.That(Directory.GetFiles(main.Directory).Select(f => Path.GetFileName(f)!).Order().ToArray())
            .IsEquivalentTo(new[] { "events.ndjson", "meta.json" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        // A hook appending later has no .tail to trust: it rebuilds the hash from the last line.
        var hook = new EventBuilder();
        hook.Data.WriteString("tool_name", "Bash");
        new EventWriter(main.Directory).Append(hook.Build(EventType.ToolCall, Sid));
        await Assert.That(ChainVerifier.Verify(main).Ok).IsTrue();
        await Assert.That(File.Exists(Path.Combine(main.Directory, ".tail"))).IsTrue();
    }

    [Test]
    public async Task SessionStartedByAnotherWriterFirst_MergedUnderTheLock_NothingLostOrDoubled()
    {
        using var dir = new TempDir();
        string claude = WriteSecrets(Path.Combine(dir.Path, "claude"));
        int expected = Events(Import(claude, Path.Combine(dir.Path, "alone"), Redactor.On).Find(Sid)).Count;

        var store = new TraceStore(Path.Combine(dir.Path, "store"));
        string sessionDir = store.SessionDir(Sid);
        Directory.CreateDirectory(sessionDir);
        var first = new EventBuilder();
        first.Data.WriteString("note", "written before the import");
        new EventWriter(sessionDir).Append(first.Build(EventType.ToolCall, Sid));

        Import(claude, store.Root, Redactor.On);
        SessionInfo merged = store.Find(Sid);
        await Assert.That(Events(merged).Count).IsEqualTo(expected + 1);
        await Assert.That(ChainVerifier.Verify(merged).Ok).IsTrue();
        await Assert.That(Directory.GetDirectories(store.Root).Any(d => Path.GetFileName(d).StartsWith('.'))).IsFalse();
    }

    [Test]
    public async Task WriterAppendingWhileTheImportRuns_EveryEventOnce_ChainIntact()
    {
        using var dir = new TempDir();
        string claude = WriteSecrets(Path.Combine(dir.Path, "claude"));
        int imported = Events(Import(claude, Path.Combine(dir.Path, "alone"), Redactor.On).Find(Sid)).Count;
        for (int round = 0; round < 12; round++)
        {
            var store = new TraceStore(Path.Combine(dir.Path, "store" + round));
            string sessionDir = store.SessionDir(Sid);
            const int Appends = 20;
            // A writer taking the session's flock on its own handle, as a hook process does (SessionLock only counts
            // a second taker inside one process), starting a little before or after the import.
            var hook = Task.Run(() =>
            {
                Thread.Sleep(round % 4);
                for (int i = 0; i < Appends; i++)
                {
                    Directory.CreateDirectory(sessionDir);
                    var b = new EventBuilder();
                    b.Data.WriteNumber("i", i);
                    using FileStream flock = LockAsAnotherProcess(Path.Combine(sessionDir, ".lock"));
                    new EventWriter(sessionDir).AppendLocked(b.Build(EventType.ToolCall, Sid, eventId: $"hook-{i}"));
                }
            });
            Import(claude, store.Root, Redactor.On);
            await hook;
            SessionInfo s = store.Find(Sid);
            List<TraceEvent> events = Events(s);
            await Assert.That(events.Count).IsEqualTo(imported + Appends);
            await Assert.That(events.Select(e => e.EventId).Distinct().Count()).IsEqualTo(events.Count);
            await Assert.That(ChainVerifier.Verify(s).Ok).IsTrue();
        }
    }

    private static FileStream LockAsAnotherProcess(string path)
    {
        while (true)
        {
            try { return AgentStrace.FileSystem.SafeFile.OpenLocked(path); }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException) { Thread.Sleep(1); }
        }
    }

    [Test]
    public async Task StagingLeftByAKilledImport_RemovedWhenOld_LeftAloneWhenRecent()
    {
        using var dir = new TempDir();
        string claude = WriteSecrets(Path.Combine(dir.Path, "claude"));
        foreach (bool old in new[] { true, false })
        {
            var store = new TraceStore(Path.Combine(dir.Path, old ? "old" : "recent"));
            string staging = Path.Combine(store.Root, "." + Sid + ".staging");
            Directory.CreateDirectory(staging);
            File.WriteAllText(Path.Combine(staging, "events.ndjson"), "half a line");
            if (old)
            {
                // Old means nothing in it was written for an hour: a live import keeps writing its staged file.
                File.SetLastWriteTimeUtc(Path.Combine(staging, "events.ndjson"), DateTime.UtcNow.AddHours(-2));
                Directory.SetLastWriteTimeUtc(staging, DateTime.UtcNow.AddHours(-2));
            }

            Import(claude, store.Root, Redactor.On);
            SessionInfo s = store.Find(Sid);
            await Assert.That(ChainVerifier.Verify(s).Ok).IsTrue();
            await Assert.That(Events(s).Count).IsGreaterThan(5);
            // A recent one may belong to an import still running: the session went through the lock instead.
            await Assert.That(Directory.Exists(staging)).IsEqualTo(!old);
            await Assert.That(store.List().Count).IsEqualTo(2);
        }
    }
}
