using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Ship;

/// <summary><c>doctor</c>'s shipping line: passes while the outbox drains, fails with the fix when the collector is down and
/// hand-overs wait, says "not set up" (no failure) without a delivery target. Text and JSON.</summary>
[NotInParallel("ship-e2e")]
[ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
public sealed class ShipDoctorTests(FakeCollector collector)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(45);

    [Test]
    public async Task Configured_Drained_Passes()
    {
        FakeScope scope = collector.NewScope();
        using var fleet = new ShipFleet("d0c70000-aaaa-4bbb-8ccc-ddddeeeeffff");
        await Assert.That((await fleet.RunAsync("setup", "--ship-to", collector.HttpUrl, "--header", scope.HeaderArgument)).ExitCode).IsEqualTo(0);
        await fleet.StartAsync();
        await fleet.TurnAsync(1, tools: 2);
        await fleet.EndAsync();
        await Assert.That(await fleet.OutboxDrainedAsync(s_wait)).IsTrue();
        await Assert.That(scope.Requests.Count).IsGreaterThan(0);

        CliResult r = await fleet.RunAsync("doctor");
        await Assert.That(Line(r)).StartsWith("✓ shipping: to " + collector.HttpUrl).And.Contains("outbox empty").And.Contains("last success");
        JsonElement check = await JsonCheckAsync(fleet);
        await Assert.That(check.GetProperty("state").GetString()).IsEqualTo("ok");
    }

    [Test]
    public async Task Configured_DeadEndpoint_QueuedEntries_FailsWithTheFix()
    {
        using var fleet = new ShipFleet("d0c70001-aaaa-4bbb-8ccc-ddddeeeeffff");
        string dead = $"http://127.0.0.1:{FreePort.Next()}";
        await Assert.That((await fleet.RunAsync("setup", "--ship-to", dead)).ExitCode).IsEqualTo(0);
        await fleet.StartAsync();
        await fleet.TurnAsync(1, tools: 2);
        await fleet.KillShippersAsync();
        CliResult ship = await fleet.RunAsync("ship");
        await Assert.That(ship.ExitCode).IsEqualTo(3);
        await Assert.That(fleet.OutboxEntries().Length).IsGreaterThan(0);

        CliResult r = await fleet.RunAsync("doctor");
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(Line(r)).StartsWith("✗ shipping: to " + dead).And.Contains("queued").And.Contains("last error")
            .And.Contains("→ check that the collector at " + dead).And.Contains("agent-strace ship --wait");
        JsonElement check = await JsonCheckAsync(fleet);
        await Assert.That(check.GetProperty("state").GetString()).IsEqualTo("fail");
        await Assert.That(check.GetProperty("fix").GetString()).Contains("agent-strace ship --wait");
    }

    [Test]
    public async Task NotConfigured_Skipped()
    {
        using var fleet = new ShipFleet("d0c70002-aaaa-4bbb-8ccc-ddddeeeeffff");
        CliResult r = await fleet.RunAsync("doctor");
        await Assert.That(Line(r)).StartsWith("– shipping: not set up").And.Contains("agent-strace setup --global --ship-to URL");
        JsonElement check = await JsonCheckAsync(fleet);
        await Assert.That(check.GetProperty("state").GetString()).IsEqualTo("skip");
    }

    private static string Line(CliResult r) =>
        r.Stdout.Split('\n').FirstOrDefault(l => l.Length > 2 && l[2..].StartsWith("shipping:", StringComparison.Ordinal)) ?? $"(no shipping line in)\n{r}";

    private static async Task<JsonElement> JsonCheckAsync(ShipFleet fleet)
    {
        CliResult json = await fleet.RunAsync("doctor", "--format", "json");
        using JsonDocument doc = JsonDocument.Parse(json.Stdout);
        return doc.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "shipping").Clone();
    }
}
