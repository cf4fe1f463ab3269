using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Ship;

/// <summary>
/// <c>setup --ship-to … --metrics</c>: a finished session's metrics go once to <c>/v1/metrics</c> beside the traces, after
/// its spans, and a re-send (a shipper killed after the collector acknowledged, before it wrote its state) is the same
/// request byte for byte: cumulative points from the session's start, taken at its end.
/// </summary>
[NotInParallel("ship-e2e")]
[ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
public sealed class ShipMetricsTests(FakeCollector collector)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(45);

    [Test]
    public async Task FinishedSession_MetricsOnceBesideTraces_AReSendIsTheSamePoints()
    {
        FakeScope scope = collector.NewScope();
        using var relay = new TcpRelay(new Uri(collector.HttpUrl).Port);
        using var fleet = new ShipFleet("3e7c0000-aaaa-4bbb-8ccc-ddddeeeeffff");
        // A target naming /v1/traces: the metrics go to /v1/metrics beside it.
        CliResult setup = await fleet.RunAsync("setup", "--ship-to", relay.Url + "/v1/traces", "--metrics", "--header", scope.HeaderArgument, "--user", "dana");
        await Assert.That(setup.ExitCode).IsEqualTo(0);
        await Assert.That(setup.Stdout).Contains("with their metrics");

        // The collector is down for the whole session; the hand-overs are kept aside to hand them over again later.
        await fleet.StartAsync();
        await fleet.TurnAsync(1, tools: 2, fail: true);
        await fleet.TurnAsync(2, tools: 1);
        await fleet.EndAsync();
        await fleet.KillShippersAsync();
        string aside = Path.Combine(fleet.Project, "entries-aside");
        Directory.CreateDirectory(aside);
        foreach (string e in fleet.OutboxEntries()) File.Copy(e, Path.Combine(aside, Path.GetFileName(e)));
        await Assert.That(Directory.GetFiles(aside)).IsNotEmpty();

        relay.Start();
        CliResult flush = await fleet.RunAsync("ship", "--wait", "--timeout", "60s");
        await Assert.That(flush.ExitCode).IsEqualTo(0).Because(flush.ToString());
        RecordedRequest[] metrics = scope.Requests.Where(r => r.Path == "/v1/metrics").ToArray();
        await Assert.That(metrics.Length).IsEqualTo(1);
        await Assert.That(scope.Requests.Count(r => r.Path == "/v1/traces")).IsGreaterThan(0);
        // After the spans: the metrics request is the last one.
        await Assert.That(scope.Requests[^1].Path).IsEqualTo("/v1/metrics");

        WireMessage rm = WireMessage.Parse(metrics[0].Body).Message(1);
        Dictionary<string, string> resource = rm.Message(1).Attributes(1);
        await Assert.That(resource.GetValueOrDefault("agent.session_id")).IsEqualTo(fleet.StoreId);
        await Assert.That(resource.GetValueOrDefault("user.name")).IsEqualTo("dana");
        await Assert.That(resource.GetValueOrDefault("agent.name")).IsEqualTo("claude-code");
        Dictionary<string, WireMessage> byName = rm.Message(2).Messages(2).ToDictionary(m => m.String(1));
        WireMessage toolCalls = byName["agent_strace.session.tool_calls"].Message(5).Message(1);
        await Assert.That(toolCalls.Double(4)).IsEqualTo(3.0);
        WireMessage errorRate = byName["agent_strace.session.error_rate"].Message(5).Message(1);
        await Assert.That(errorRate.Double(4)).IsEqualTo(1.0 / 3);
        // Taken at the session's end (meta.json's ended_at), not when it happened to be sent.
        using (JsonDocument meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(fleet.Store, fleet.StoreId, "meta.json"))))
        {
            double ended = meta.RootElement.GetProperty("ended_at").GetDouble();
            await Assert.That(Math.Abs(toolCalls.UInt64(3) / 1e9 - ended)).IsLessThan(0.001);
        }

        // The shipper was killed after the collector acknowledged, before its state said so: the hand-overs are back and
        // the state does not know the metrics went.
        foreach (string e in Directory.GetFiles(aside)) File.Copy(e, Path.Combine(fleet.OutboxDir, Path.GetFileName(e)));
        string statePath = Path.Combine(fleet.OutboxDir, "state.json");
        File.WriteAllText(statePath, File.ReadAllText(statePath).Replace("\"metrics_sent\": true", "\"metrics_sent\": false", StringComparison.Ordinal));
        int traces = scope.Requests.Count(r => r.Path == "/v1/traces");
        CliResult again = await fleet.RunAsync("ship", "--wait", "--timeout", "60s");
        await Assert.That(again.ExitCode).IsEqualTo(0).Because(again.ToString());
        RecordedRequest[] resent = scope.Requests.Where(r => r.Path == "/v1/metrics").ToArray();
        await Assert.That(resent.Length).IsEqualTo(2);
        await Assert.That(resent[1].Body).IsEquivalentTo(resent[0].Body, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(scope.Requests.Count(r => r.Path == "/v1/traces")).IsEqualTo(traces); // no span goes twice
        await Assert.That(fleet.OutboxEntries()).IsEmpty();
    }

    [Test]
    public async Task MetricsFlag_NeedsShipTo_AndRefusesLangfuse()
    {
        using var fleet = new ShipFleet("3e7c0001-aaaa-4bbb-8ccc-ddddeeeeffff");
        CliResult alone = await fleet.RunAsync("setup", "--metrics");
        await Assert.That(alone.ExitCode).IsEqualTo(2);
        await Assert.That(alone.Stderr).Contains("--metrics needs --ship-to URL");
        CliResult langfuse = await fleet.RunAsync("setup", "--ship-to", "http://127.0.0.1:9/api/public/otel", "--langfuse", "--metrics");
        await Assert.That(langfuse.ExitCode).IsEqualTo(2);
        await Assert.That(langfuse.Stderr).Contains("Langfuse takes no OTLP metrics");
        await Assert.That(File.Exists(fleet.ConfigFile)).IsFalse();
    }
}
