using System.Text.Json;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// What the tool prints from a store comes out as the Python tool's <c>json.dumps(json.loads(…))</c> would: floats in
/// Python's form (<c>1e+20</c>, <c>2.0</c>), and an object that repeats a key with one member, the last value at the
/// first key's place. The expected texts are Python 3's output for the same input.
/// </summary>
public sealed class PythonParityCliTests
{
    private static Dictionary<string, string?> Env(TempDir t) => new() { ["AGENT_STRACE_DIR"] = t.Store };

    private static void Session(TempDir t, string id, string meta, string events)
    {
        string dir = Path.Combine(t.Store, id);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "meta.json"), meta);
        File.WriteAllText(Path.Combine(dir, "events.ndjson"), events);
    }

    [Test]
    public async Task ListJson_WritesFloatsAsPythonDoes_AndInfinityAsNull()
    {
        using var t = new TempDir();
        Session(t, "huge1", "{\n  \"session_id\": \"huge1\",\n  \"started_at\": 1e+20,\n  \"ended_at\": 2.0,\n  \"agent_name\": \"claude-code\",\n  \"command\": \"caf\\u00e9 <x>\"\n}", "");
        Session(t, "inf1", "{\n  \"session_id\": \"inf1\",\n  \"started_at\": 1e400,\n  \"total_duration_ms\": 1e-05,\n  \"agent_name\": \"claude-code\"\n}", "");
        CliResult r = await AgentStraceCli.RunAsync(["list", "--format", "json"], t.Path, Env(t));
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).Contains("\"started_at\": 1e+20,");
        await Assert.That(r.Stdout).Contains("\"ended_at\": 2.0,");
        await Assert.That(r.Stdout).Contains("\"command\": \"caf\\u00e9 <x>\",");
        await Assert.That(r.Stdout).Contains("\"total_duration_ms\": 1e-05,");
        await Assert.That(r.Stdout).Contains("\"started_at\": null,");
        await Assert.That(r.Stdout).DoesNotContain("E+");
        using var doc = JsonDocument.Parse(r.Stdout);
        await Assert.That(doc.RootElement.GetArrayLength()).IsEqualTo(2);
    }

    private const string Repeated =
        "{\"event_type\":\"tool_call\",\"timestamp\":1778140800.0,\"event_id\":\"e1\",\"session_id\":\"dup1\",\"data\":"
        + "{\"tool_name\":\"Bash\",\"arguments\":{\"a\":1,\"b\":{\"c\":1,\"c\":2},\"a\":3},\"tool_name\":\"Write\"}}\n";

    [Test]
    public async Task Inspect_RepeatedKeysInEventData_PrintsEachKeyOnce_LastValueFirstPlace()
    {
        using var t = new TempDir();
        Session(t, "dup1", "{\"session_id\":\"dup1\",\"started_at\":1778140800.0,\"agent_name\":\"claude-code\"}", Repeated);
        CliResult r = await AgentStraceCli.RunAsync(["inspect", "dup1"], t.Path, Env(t));
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        // python3 -c 'import json; print(json.dumps(json.loads(line)["data"], indent=2))', indented once more.
        await Assert.That(r.Stdout).Contains(
            "      \"data\": {\n"
            + "        \"tool_name\": \"Write\",\n"
            + "        \"arguments\": {\n"
            + "          \"a\": 3,\n"
            + "          \"b\": {\n"
            + "            \"c\": 2\n"
            + "          }\n"
            + "        }\n"
            + "      }\n");
    }

    // ndjson is left out: it copies each stored line's bytes (the fast path), and only a line this tool did not write
    // (or wrote before repeated keys were folded at capture) can repeat a key.
    [Test]
    [Arguments("json")]
    [Arguments("csv")]
    public async Task Export_RepeatedKeysInEventData_AsJsonLoadsReadsThem(string format)
    {
        using var t = new TempDir();
        Session(t, "dup1", "{\"session_id\":\"dup1\",\"started_at\":1778140800.0,\"agent_name\":\"claude-code\"}", Repeated);
        CliResult r = await AgentStraceCli.RunAsync(["export", "dup1", "--format", format], t.Path, Env(t));
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).DoesNotContain("Bash");
        string compact = r.Stdout.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\"\"", "\"", StringComparison.Ordinal);
        await Assert.That(compact).Contains("{\"tool_name\":\"Write\",\"arguments\":{\"a\":3,\"b\":{\"c\":2}}}");
    }
}
