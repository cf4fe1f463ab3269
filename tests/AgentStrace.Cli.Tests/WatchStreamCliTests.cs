using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>
/// watch --stream-to end to end through the AOT binary, against the Aspire dashboard's real OTLP receiver, while a
/// writer appends a session event by event. Every wait is bounded.
/// </summary>
[NotInParallel("watch-e2e")]
public sealed class WatchStreamCliTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [ClassDataSource<AspireReceiver>(Shared = SharedType.PerTestSession)]
    public required AspireReceiver Aspire { get; init; }

    [Test]
    public async Task StreamTo_SessionInProgress_SpansArriveBeforeEndAndEqualExport()
    {
        using var temp = new TempDir();
        string service = "watch-live-" + Guid.NewGuid().ToString("N")[..8];
        var agent = new LiveSessionWriter(temp.Store);
        agent.Append("session_start", "{}");
        using var watch = new BackgroundCli(temp.Path, "watch", agent.Id, "--stream-to", Aspire.OtlpHttpUrl, "--service-name", service,
            "--stream-flush-interval", "1", "--stream-batch-size", "100", "--quiet");
        agent.ToolRoundTrip("Read", "{\"path\":\"a.py\"}");
        agent.ToolRoundTrip("Bash", "{\"command\":\"pytest\"}", "1 failed");
        agent.ToolRoundTrip("Edit", "{\"file_path\":\"a.py\"}");

        List<JsonElement> early = await SpansAsync(service, 3, s_wait);
        await Assert.That(early.Count).IsEqualTo(3); // the three tool spans; the root waits for the end
        await Assert.That(early.All(s => s.TryGetProperty("parentSpanId", out _))).IsTrue();

        agent.End();
        await Assert.That(await watch.WaitAsync(s_wait)).IsEqualTo(0);
        List<JsonElement> all = await SpansAsync(service, 4, s_wait);
        await AssertSameSpansAsExport(temp, agent.Id, service, all);
    }

    [Test]
    public async Task StreamTo_KilledWithSigkillAndRestarted_AllSpansArriveAndEqualExport()
    {
        using var temp = new TempDir();
        string service = "watch-kill-" + Guid.NewGuid().ToString("N")[..8];
        var agent = new LiveSessionWriter(temp.Store);
        agent.Append("session_start", "{}");
        string[] args = ["watch", agent.Id, "--stream-to", Aspire.OtlpHttpUrl, "--service-name", service, "--stream-flush-interval", "1", "--quiet"];
        using (var first = new BackgroundCli(temp.Path, args))
        {
            agent.ToolRoundTrip("Read", "{\"path\":\"a.py\"}");
            agent.ToolRoundTrip("Grep", "{\"pattern\":\"def\"}");
            await Assert.That((await SpansAsync(service, 2, s_wait)).Count).IsEqualTo(2);
            agent.ToolRoundTrip("Bash", "{\"command\":\"make\"}");
            first.KillHard();
            await first.WaitAsync(s_wait);
        }
        // The agent keeps going while watch is down.
        agent.ToolRoundTrip("Edit", "{\"file_path\":\"b.py\"}");
        agent.Append("tool_call", "{\"tool_name\":\"Bash\",\"arguments\":{\"command\":\"never answered\"}}");
        using var second = new BackgroundCli(temp.Path, args);
        agent.ToolRoundTrip("Write", "{\"file_path\":\"c.py\"}");
        agent.End();
        await Assert.That(await second.WaitAsync(s_wait)).IsEqualTo(0);

        List<JsonElement> all = await SpansAsync(service, 7, s_wait);
        await AssertSameSpansAsExport(temp, agent.Id, service, all);
    }

    [Test]
    public async Task Watchdog_AgentLoopsOnOneCall_KillsAgentWritesPostmortemAndClosesRootAsError()
    {
        using var temp = new TempDir();
        string service = "watch-dog-" + Guid.NewGuid().ToString("N")[..8];
        using var agentProcess = System.Diagnostics.Process.Start("sleep", "300");
        try
        {
            var agent = new LiveSessionWriter(temp.Store, agentPid: agentProcess.Id);
            agent.Append("session_start", "{}");
            using var watch = new BackgroundCli(temp.Path, "watch", agent.Id, "--stream-to", Aspire.OtlpHttpUrl, "--service-name", service,
                "--loop-threshold", "3", "--loop-window", "6", "--on-violation", "kill", "--kill-grace", "1", "--quiet");
            for (int i = 0; i < 3; i++) agent.ToolRoundTrip("Bash", "{\"command\":\"npm test\"}", "1 failed");

            await Assert.That(await watch.WaitAsync(s_wait)).IsEqualTo(1); // a limit was crossed
            await Assert.That(agentProcess.WaitForExit(10_000)).IsTrue();
            await Assert.That(watch.Stderr).Contains("LoopWatcher");
            await Assert.That(File.ReadAllText(Path.Combine(temp.Store, "alerts.log"))).Contains("LoopWatcher");

            using var postmortem = JsonDocument.Parse(File.ReadAllText(Path.Combine(agent.Dir, "watchdog-postmortem.json")));
            JsonElement pm = postmortem.RootElement;
            await Assert.That(pm.GetProperty("session_id").GetString()).IsEqualTo(agent.Id);
            await Assert.That(pm.GetProperty("reason").GetString()).Contains("LoopWatcher");
            await Assert.That(pm.GetProperty("last_tool_call").GetProperty("arguments").GetProperty("command").GetString()).IsEqualTo("npm test");
            await Assert.That(pm.GetProperty("recovery_context").GetString()).StartsWith($"Session {agent.Id} was terminated after ");

            List<JsonElement> spans = await SpansAsync(service, 4, s_wait);
            JsonElement root = spans.Single(s => !s.TryGetProperty("parentSpanId", out _));
            JsonElement status = root.GetProperty("status");
            await Assert.That(status.GetProperty("code").ToString()).IsIn("2", "STATUS_CODE_ERROR");
            await Assert.That(status.GetProperty("message").GetString()).Contains("watchdog: LoopWatcher");
        }
        finally
        {
            if (!agentProcess.HasExited) agentProcess.Kill();
        }
    }

    private Task<List<JsonElement>> SpansAsync(string service, int count, TimeSpan timeout) => ReceivedSpans.WaitAsync(Aspire, service, count, timeout);

    private static async Task AssertSameSpansAsExport(TempDir temp, string sessionId, string service, List<JsonElement> received)
    {
        List<JsonElement> exported = await ReceivedSpans.ExportAsync(temp.Path, sessionId, service);
        await Assert.That(ReceivedSpans.Keys(received)).IsEquivalentTo(ReceivedSpans.Keys(exported), TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }
}
