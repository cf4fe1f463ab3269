using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Agents;

/// <summary>The published binary imports Codex and Gemini CLI sessions beside Claude Code's.</summary>
public sealed class AgentImportCliTests
{
    [Test]
    public async Task Discover_FindsAllThreeAgents_TagsEach_SecondRunAddsNothing()
    {
        using var t = new AgentHomeTree();
        CliResult first = await t.RunAsync("import", "--discover");
        await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());
        var expected = new Dictionary<string, string>
        {
            [AgentHomeTree.ClaudeSession] = "claude-code",
            [AgentHomeTree.CodexParent] = "codex",
            [AgentHomeTree.CodexChild] = "codex",
            [AgentHomeTree.CodexArchived] = "codex",
            [AgentHomeTree.GeminiMain] = "gemini-cli",
            [AgentHomeTree.GeminiSub] = "gemini-cli",
            [AgentHomeTree.GeminiLegacy] = "gemini-cli",
        };
        foreach (var (id, agent) in expected)
        {
            await Assert.That(Meta(t, id).GetProperty("agent_name").GetString()).IsEqualTo(agent).Because(id);
        }
        // The Codex child is linked to the spawn call of the parent imported before it.
        await Assert.That(Meta(t, AgentHomeTree.CodexChild).GetProperty("parent_session_id").GetString()).IsEqualTo(AgentHomeTree.CodexParent);
        await Assert.That(first.Stdout).Contains("codex 3");
        await Assert.That(first.Stdout).Contains("claude-code 2");
        await Assert.That(first.Stdout).Contains("gemini-cli 3");
        // Unknown record types are reported once, not per line, and not as a failure.
        await Assert.That(first.Stderr).Contains("unknown type");
        await Assert.That(first.Stderr).Contains("--verbose");

        var before = TempDir.Snapshot(t.Store);
        CliResult second = await t.RunAsync("import", "--discover");
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.ToString());
        await Assert.That(second.Stdout).Contains("(0 new events");

        // A file read again (here by path) adds nothing either; --verbose names the unknown types.
        string rollout = Path.Combine(t.CodexHome, "sessions", "2026", "04", "20", "rollout-2026-04-20T12-00-00-" + AgentHomeTree.CodexParent + ".jsonl");
        CliResult third = await t.RunAsync("import", rollout, "--verbose");
        await Assert.That(third.Stdout).Contains("0 new events");
        await Assert.That(third.Stderr).Contains("codex:event_msg/brand_new_event: 1");
        await Assert.That(third.Stderr).Contains("codex:future_record: 1");
        await Assert.That(TempDir.Snapshot(t.Store).Keys.Where(k => k.EndsWith("events.ndjson", StringComparison.Ordinal)).Select(k => before[k] == TempDir.Snapshot(t.Store)[k]).All(same => same)).IsTrue();
    }

    [Test]
    public async Task Discover_Agent_LimitsTheSearch_AndDryRunListsWithAgent()
    {
        using var t = new AgentHomeTree();
        CliResult dry = await t.RunAsync("import", "--discover", "--agent", "gemini-cli", "--dry-run");
        await Assert.That(dry.ExitCode).IsEqualTo(0).Because(dry.ToString());
        // The legacy .json migrated to .jsonl is listed once; the sub-agent chat comes with its parent.
        await Assert.That(dry.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length).IsEqualTo(3);
        await Assert.That(dry.Stdout).DoesNotContain("codex ");
        await Assert.That(Directory.Exists(t.Store)).IsFalse();
        CliResult bad = await t.RunAsync("import", "--discover", "--agent", "cursor");
        await Assert.That(bad.ExitCode).IsEqualTo(2);
        await Assert.That(bad.Stderr.TrimEnd()).IsEqualTo("agent-strace: Unknown --agent 'cursor' for import: use claude-code, codex or gemini-cli.");
    }

    [Test]
    public async Task Import_UnknownFormat_IsRefusedWithAClearError()
    {
        using var t = new AgentHomeTree();
        string file = Path.Combine(t.Work, "notes.jsonl");
        File.WriteAllText(file, "{\"event\":\"something else\"}\n");
        CliResult r = await t.RunAsync("import", file);
        await Assert.That(r.ExitCode).IsNotEqualTo(0);
        await Assert.That(r.Stderr).Contains("is not a Claude Code, Codex or Gemini CLI session file");
        await Assert.That(r.Stderr).DoesNotContain("   at ");
        await Assert.That(Directory.Exists(t.Store) && Directory.GetDirectories(t.Store).Length > 0).IsFalse();

        // A Codex rollout given by path is a codex session, not an empty claude-code one.
        string rollout = Path.Combine(t.CodexHome, "sessions", "2026", "04", "20", "rollout-2026-04-20T12-00-00-" + AgentHomeTree.CodexParent + ".jsonl");
        CliResult ok = await t.RunAsync("import", rollout);
        await Assert.That(ok.ExitCode).IsEqualTo(0).Because(ok.ToString());
        await Assert.That(ok.Stdout).Contains("5 LLM requests, 8980 tokens");
        await Assert.That(Meta(t, AgentHomeTree.CodexParent).GetProperty("agent_name").GetString()).IsEqualTo("codex");
    }

    private static JsonElement Meta(AgentHomeTree t, string id) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(t.Store, id, "meta.json"))).RootElement.Clone();
}
