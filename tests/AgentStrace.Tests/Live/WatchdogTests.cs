using AgentStrace.Json;
using AgentStrace.Live.Watchdog;
using AgentStrace.Model;

namespace AgentStrace.Tests.Live;

public sealed class WatchdogTests
{
    private static TraceEvent Call(string id, string tool, string argsJson) => new()
    {
        Type = EventType.ToolCall, Timestamp = 100, EventId = id,
        Data = new RawJsonObject(System.Text.Encoding.UTF8.GetBytes($"{{\"tool_name\":\"{tool}\",\"arguments\":{argsJson}}}")),
    };

    [Test]
    public async Task Observe_SameCallThresholdTimesInWindow_ReportsLoopOnce()
    {
        var w = new SessionWatchdog(new WatchdogLimits { LoopThreshold = 3, LoopWindow = 5 }, 100);
        var found = new List<Violation>();
        for (int i = 0; i < 5; i++) found.AddRange(w.Observe(Call("e" + i, "Read", "{\"path\":\"a.py\"}"), 101));
        await Assert.That(found.Count).IsEqualTo(1);
        await Assert.That(found[0].Message).Contains("LoopWatcher");
    }

    [Test]
    public async Task Observe_RepeatsSpreadBeyondWindow_NoLoop()
    {
        var w = new SessionWatchdog(new WatchdogLimits { LoopThreshold = 3, LoopWindow = 4 }, 100);
        var found = new List<Violation>();
        for (int i = 0; i < 9; i++)
        {
            found.AddRange(w.Observe(i % 3 == 0 ? Call("e" + i, "Read", "{\"path\":\"a.py\"}") : Call("e" + i, "Read", $"{{\"path\":\"{i}.py\"}}"), 101));
        }
        await Assert.That(found).IsEmpty();
    }

    [Test]
    public async Task Observe_BashCommandOverMaxRetries_ReportsRetry()
    {
        var w = new SessionWatchdog(new WatchdogLimits { MaxRetries = 2 }, 100);
        var found = new List<Violation>();
        for (int i = 0; i < 3; i++) found.AddRange(w.Observe(Call("e" + i, "Bash", "{\"command\":\"pytest\"}"), 101));
        await Assert.That(found.Single().Message).IsEqualTo("RetryWatcher: command ran 3 times: pytest");
    }

    [Test]
    public async Task Observe_CostAndDuration_UseHeuristicAndWallClock()
    {
        var w = new SessionWatchdog(new WatchdogLimits { MaxCost = 0.00001, MaxDuration = 60 }, 100);
        List<Violation> found = w.Observe(Call("e1", "Bash", "{\"command\":\"" + new string('x', 400) + "\"}"), 200);
        // len(json.dumps(data)) // 4 tokens at $3/M.
        await Assert.That(w.Cost).IsEqualTo(451 / 4 / 1e6 * 3); // python: len(json.dumps(data)) == 451
        await Assert.That(found.Select(v => v.Key).ToArray()).IsEquivalentTo(new[] { "cost", "duration" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }
}
