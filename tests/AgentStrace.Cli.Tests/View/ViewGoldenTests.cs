using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.View;

/// <summary>
/// replay, stats and diff on the view fixture store at 80 and 160 columns, with and without colour, compared byte for
/// byte with tests/fixtures/view-goldens (AGENT_STRACE_UPDATE_GOLDENS=1 rewrites them; see the store's README).
/// </summary>
public sealed class ViewGoldenTests
{
    private static string Store => Path.Combine(Repo.Fixtures, "view-store");
    private static string Goldens => Path.Combine(Repo.Fixtures, "view-goldens");

    [Test]
    [Arguments("replay-80-plain", "replay --width 80 --color never")]
    [Arguments("replay-80-color", "replay --width 80 --color always")]
    [Arguments("replay-160-plain", "replay --width 160 --color never")]
    [Arguments("replay-160-color", "replay --width 160 --color always")]
    [Arguments("replay-tree-160-plain", "replay d3m0c --tree --width 160 --color never")]
    [Arguments("replay-expand-80-plain", "replay d3m0c --expand-subagents --width 80 --color never")]
    [Arguments("replay-filter-80-plain", "replay d3m0c --expand-subagents --filter tool_call,error --width 80 --color never")]
    [Arguments("replay-pydict-160-plain", "replay 9f1c --width 160 --color never")]
    [Arguments("stats-80-plain", "stats --width 80 --color never")]
    [Arguments("stats-80-color", "stats --width 80 --color always")]
    [Arguments("stats-160-plain", "stats --width 160 --color never")]
    [Arguments("stats-all-160-plain", "stats --all --width 160 --color never")]
    [Arguments("diff-80-plain", "diff 9f1c d3m0c --width 80 --color never")]
    [Arguments("diff-80-color", "diff 9f1c d3m0c --width 80 --color always")]
    [Arguments("diff-160-plain", "diff 9f1c d3m0c --width 160 --color never")]
    public async Task Output_MatchesGolden(string name, string command)
    {
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Store, .. command.Split(' ')]);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stderr).IsEmpty();
        string path = Path.Combine(Goldens, name + ".txt");
        // The store's path (absolute, or relative to the runner's directory) depends on the checkout: goldens hold <store>.
        string output = System.Text.RegularExpressions.Regex.Replace(r.Stdout, @"\S*tests/fixtures/view-store", "<store>");
        if (Environment.GetEnvironmentVariable("AGENT_STRACE_UPDATE_GOLDENS") == "1") await File.WriteAllTextAsync(path, output);
        await Assert.That(File.Exists(path)).IsTrue().Because($"missing golden {path}; regenerate with AGENT_STRACE_UPDATE_GOLDENS=1");
        await Assert.That(output).IsEqualTo(await File.ReadAllTextAsync(path));
        int width = command.Contains("--width 80", StringComparison.Ordinal) ? 80 : 160;
        foreach (string line in r.Stdout.Split('\n'))
        {
            string visible = System.Text.RegularExpressions.Regex.Replace(line, "\u001b\\[[0-9;]*m", "");
            await Assert.That(visible.Length).IsLessThanOrEqualTo(width).Because(line);
            await Assert.That(visible).IsEqualTo(visible.TrimEnd()).Because("no trailing blanks: " + line);
        }
        await Assert.That(r.Stdout.Contains('\u001b')).IsEqualTo(command.Contains("always", StringComparison.Ordinal));
    }

    [Test]
    [Arguments("replay")]
    [Arguments("stats")]
    [Arguments("stats --all")]
    [Arguments("diff 9f1c d3m0c")]
    [Arguments("list")]
    [Arguments("inspect")]
    [Arguments("cost")]
    [Arguments("verify")]
    [Arguments("audit-readiness")]
    public async Task FormatJson_Parses(string command)
    {
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Store, .. command.Split(' '), "--format", "json"]);
        await Assert.That(r.ExitCode is 0 or 1).IsTrue().Because(r.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        await Assert.That(doc.RootElement.ValueKind is System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array).IsTrue();
    }

    [Test]
    public async Task ReplayJson_PricesEachModelCall_AndNestsTheSubagent()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Store, "replay", "d3m0c", "--format", "json");
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        var steps = doc.RootElement.GetProperty("steps").EnumerateArray().ToList();
        var llm = steps.Where(s => s.GetProperty("type").GetString() == "llm_request").ToList();
        await Assert.That(llm.Count).IsEqualTo(4);
        double sum = llm.Sum(s => s.GetProperty("cost_usd").GetDouble());
        var agent = steps.Single(s => s.TryGetProperty("subagents", out _));
        var sub = agent.GetProperty("subagents")[0];
        double subSum = sub.GetProperty("steps").EnumerateArray().Where(s => s.TryGetProperty("cost_usd", out _)).Sum(s => s.GetProperty("cost_usd").GetDouble());
        // The same figures as `cost`: per-call costs add up to the rolled-up total.
        var cost = await AgentStraceCli.RunAsync("--trace-dir", Store, "cost", "d3m0c", "--format", "json");
        await Assert.That(Math.Round(sum + subSum, 4)).IsEqualTo(Math.Round(doc.RootElement.GetProperty("totals").GetProperty("cost_usd").GetDouble(), 4));
        await Assert.That(cost.ExitCode).IsEqualTo(0);
        var bash = steps.First(s => s.TryGetProperty("name", out var n) && n.GetString() == "Bash");
        await Assert.That(bash.GetProperty("error").GetBoolean()).IsTrue();
        await Assert.That(bash.GetProperty("result").GetString()).StartsWith("exit 1: ");
    }
}
