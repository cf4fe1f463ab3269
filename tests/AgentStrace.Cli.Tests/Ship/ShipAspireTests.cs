using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Ship;

/// <summary>
/// Sessions ship themselves, end to end: the published binary's hooks hand work to the outbox and start the shipper,
/// which delivers to the real Aspire dashboard receiver on loopback. Every wait is bounded; nothing is timed.
/// </summary>
[NotInParallel("ship-e2e")]
public sealed class ShipAspireTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(45);

    [ClassDataSource<AspireReceiver>(Shared = SharedType.PerTestSession)]
    public required AspireReceiver Aspire { get; init; }

    [Test]
    public async Task Hooks_ScriptedSession_ArrivesTurnByTurnOnceWithRootClosedAndFleetAttributes()
    {
        var ci = new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_WORKFLOW"] = "agents", ["GITHUB_RUN_ID"] = "4242", ["GITHUB_JOB"] = "review",
            ["GITHUB_SERVER_URL"] = "https://github.example", ["GITHUB_REPOSITORY"] = "team/app",
        };
        using var fleet = new ShipFleet("c0ffee00-1111-4222-8333-444455556666", ci);
        string service = "ship-e2e-" + Guid.NewGuid().ToString("N")[..8];
        CliResult setup = await fleet.RunAsync("setup", "--ship-to", Aspire.OtlpHttpUrl, "--service-name", service, "--user", "dana", "--metrics");
        await Assert.That(setup.ExitCode).IsEqualTo(0);

        await fleet.StartAsync();
        int expected = 0;
        for (int turn = 1; turn <= 3; turn++)
        {
            await fleet.TurnAsync(turn, tools: 2, fail: turn == 2);
            expected += 2;
            // Turn by turn: the turn's tool spans arrive after its Stop, the root does not (the session is still open).
            List<JsonElement> now = await ReceivedSpans.WaitAsync(Aspire, service, expected, s_wait);
            await Assert.That(now.Count).IsEqualTo(expected);
            await Assert.That(now.All(s => s.TryGetProperty("parentSpanId", out _))).IsTrue();
        }
        await fleet.EndAsync();
        await Assert.That(await fleet.OutboxDrainedAsync(s_wait)).IsTrue();

        List<JsonElement> exported = await ReceivedSpans.ExportAsync(fleet.Project, fleet.StoreId, service, fleet.Env);
        List<JsonElement> received = await ReceivedSpans.WaitAsync(Aspire, service, exported.Count, s_wait);
        await Assert.That(ReceivedSpans.Keys(received)).IsEquivalentTo(ReceivedSpans.Keys(exported), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        JsonElement root = received.Single(s => !s.TryGetProperty("parentSpanId", out _));
        await Assert.That(ulong.Parse(root.GetProperty("endTimeUnixNano").ToString(), System.Globalization.CultureInfo.InvariantCulture)).IsGreaterThan(0UL);

        using JsonDocument doc = await Aspire.GetSpansAsync(service);
        Dictionary<string, string> resource = Resource(doc.RootElement);
        await Assert.That(resource.GetValueOrDefault("user.name")).IsEqualTo("dana");
        await Assert.That(resource.GetValueOrDefault("host.name")).IsEqualTo(Environment.MachineName);
        await Assert.That(resource.GetValueOrDefault("cicd.provider.name")).IsEqualTo("github_actions");
        await Assert.That(resource.GetValueOrDefault("cicd.pipeline.run.url.full")).IsEqualTo("https://github.example/team/app/actions/runs/4242");
        await Assert.That(resource.GetValueOrDefault("agent.name")).IsEqualTo("claude-code");

        // --metrics: the finished session's metrics reached the receiver too (its resource lists metrics).
        bool metrics = await Eventually.TrueAsync(async () =>
        {
            using JsonDocument resources = await Aspire.GetResourcesAsync();
            return resources.RootElement.EnumerateArray().Any(r => r.GetProperty("name").GetString() == service && r.GetProperty("hasMetrics").GetBoolean());
        }, s_wait);
        await Assert.That(metrics).IsTrue();

        CliResult status = await fleet.RunAsync("ship", "--status", "--json");
        using var st = JsonDocument.Parse(status.Stdout);
        await Assert.That(st.RootElement.GetProperty("queued_entries").GetInt32()).IsEqualTo(0);
        await Assert.That(st.RootElement.GetProperty("delivered_spans").GetInt64()).IsEqualTo(exported.Count);
    }

    [Test]
    public async Task CollectorDownThenUp_ShipperKilledMidSendAndReboot_EverySpanOnceOutboxEmpty()
    {
        using var relay = new TcpRelay(new Uri(Aspire.OtlpHttpUrl).Port);
        using var fleet = new ShipFleet("deadbeef-2222-4333-8444-555566667777");
        string service = "ship-outage-" + Guid.NewGuid().ToString("N")[..8];
        CliResult setup = await fleet.RunAsync("setup", "--ship-to", relay.Url, "--service-name", service, "--batch-spans", "3", "--concurrency", "1");
        await Assert.That(setup.ExitCode).IsEqualTo(0);

        // The collector is down for the whole session: every hand-over stays queued.
        await fleet.StartAsync();
        for (int turn = 1; turn <= 3; turn++) await fleet.TurnAsync(turn, tools: 5);
        await fleet.EndAsync();
        await Assert.That(fleet.OutboxEntries().Length).IsGreaterThan(0);
        CliResult down = await fleet.RunAsync("ship");
        await Assert.That(down.ExitCode).IsIn(0, 3); // 0 when the hook's background shipper still holds the lock

        // "Reboot": every process is gone, the store stays. The hook's background shipper is backing off: it must be there to kill.
        await Assert.That(await fleet.KillShippersAsync()).IsGreaterThanOrEqualTo(1);
        await Assert.That(fleet.ShipperPids()).IsEmpty();
        await Assert.That(fleet.OutboxEntries().Length).IsGreaterThan(0);

        // The collector comes back, slowly: each answer is held back, and the shipper is SIGKILLed mid-send, repeatedly:
        // the k-th shipper after k answered requests, while its next request is in flight (the collector may already hold it).
        relay.Delay = TimeSpan.FromMilliseconds(800);
        relay.Start();
        int kills = 0;
        for (int kill = 0; kill < 4; kill++)
        {
            using var shipper = new BackgroundCli(fleet.Project, fleet.Env, "ship");
            int answered = relay.Answers;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            bool exited = false;
            while (!(relay.Answers - answered >= kill && relay.InFlight > 0) && sw.Elapsed < s_wait)
            {
                if (exited = !ShipperProcesses.Alive(shipper.Pid)) break;
                await Task.Delay(5);
            }
            if (exited) break; // everything was delivered before this kill
            await Assert.That(relay.InFlight).IsGreaterThan(0);
            shipper.KillHard();
            await shipper.WaitAsync(s_wait);
            kills++;
        }
        // The kills were real: at least one landed while a request was on the wire, its answer not yet back.
        await Assert.That(kills).IsGreaterThanOrEqualTo(2);
        await Assert.That(relay.Abandoned).IsGreaterThanOrEqualTo(1);
        relay.Delay = TimeSpan.Zero;
        CliResult flush = await fleet.RunAsync("ship", "--wait", "--timeout", "60s");
        await Assert.That(flush.ExitCode).IsEqualTo(0);
        await Assert.That(fleet.OutboxEntries()).IsEmpty();

        List<JsonElement> exported = await ReceivedSpans.ExportAsync(fleet.Project, fleet.StoreId, service, fleet.Env);
        List<JsonElement> received = await ReceivedSpans.WaitAsync(Aspire, service, exported.Count, s_wait);
        await Assert.That(ReceivedSpans.Keys(received)).IsEquivalentTo(ReceivedSpans.Keys(exported), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // Without --metrics only spans go: the receiver lists the service without metrics.
        using (JsonDocument resources = await Aspire.GetResourcesAsync())
        {
            JsonElement r = resources.RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == service);
            await Assert.That(r.GetProperty("hasMetrics").GetBoolean()).IsFalse();
        }
        using JsonDocument state = fleet.State();
        await Assert.That(state.RootElement.GetProperty("sessions").GetProperty(fleet.StoreId).GetProperty("finished").GetBoolean()).IsTrue();
    }

    private static Dictionary<string, string> Resource(JsonElement root)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement rs in root.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            foreach (JsonElement a in rs.GetProperty("resource").GetProperty("attributes").EnumerateArray())
            {
                d[a.GetProperty("key").GetString()!] = a.TryGetProperty("value", out JsonElement v) && v.TryGetProperty("stringValue", out JsonElement sv) ? sv.GetString()! : "";
            }
        }
        return d;
    }
}
