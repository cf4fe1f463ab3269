using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Ship;

/// <summary>No hook ever waits for the network: with a collector that takes every request and never answers, each hook
/// returns (and closes its output, which the agent waits for) while the detached shipper is stuck on a send.</summary>
[NotInParallel("ship-e2e")]
[ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
public sealed class ShipHookWaitTests(FakeCollector collector)
{
    [Test]
    public async Task CollectorNeverAnswers_HooksReturnAtOnce_ShipperWaitsDetached()
    {
        // Every answer is held back for 5 minutes: a hook that waited on the network would take that long.
        using var relay = new TcpRelay(new Uri(collector.HttpUrl).Port) { Delay = TimeSpan.FromMinutes(5) };
        relay.Start();
        using var fleet = new ShipFleet("4a110000-aaaa-4bbb-8ccc-ddddeeeeffff");
        await Assert.That((await fleet.RunAsync("setup", "--ship-to", relay.Url)).ExitCode).IsEqualTo(0);

        await fleet.StartAsync();
        await fleet.TurnAsync(1, tools: 2);
        bool stuck = await Eventually.TrueAsync(() => Task.FromResult(relay.InFlight > 0), TimeSpan.FromSeconds(30));
        await Assert.That(stuck).IsTrue();
        // While the shipper's request hangs, the session goes on: more turns, their Stops, and the end.
        await fleet.TurnAsync(2, tools: 2);
        await fleet.TurnAsync(3, tools: 1);
        await fleet.EndAsync();

        await Assert.That(relay.InFlight).IsGreaterThan(0);
        await Assert.That(fleet.ShipperPids()).IsNotEmpty();
        await Assert.That(relay.Answers).IsEqualTo(0);
        (string Event, TimeSpan Took) slowest = fleet.HookTimes.MaxBy(h => h.Took);
        // Generous for a loaded 2-core machine (a hook takes milliseconds), far below the collector's 5 minutes.
        await Assert.That(slowest.Took).IsLessThan(TimeSpan.FromSeconds(10)).Because($"{slowest.Event} took {slowest.Took.TotalMilliseconds:0} ms");
        await Assert.That(fleet.OutboxEntries()).IsNotEmpty();
    }
}
