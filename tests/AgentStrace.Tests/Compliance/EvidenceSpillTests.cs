using System.Text;
using System.Text.Json;
using AgentStrace.Compliance;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

/// <summary>
/// Each event is rendered once into the package's temporary file and both event lists are written from it: the
/// top-level article_12 list must be the evidence list without its two evidence members, event for event, for sessions
/// of every kind (a line longer than the inline threshold, blank and unparsable lines, a session with no events file).
/// </summary>
public sealed class EvidenceSpillTests
{
    [Test]
    public async Task BothEventLists_ComeFromOneRender_AndTheTopLevelOneIsTheEvidenceOneWithoutItsEvidenceMembers()
    {
        using TempDir store = Repo.CopySampleStore();
        string mixed = Path.Combine(store.Path, "mixed-lines-0001");
        Directory.CreateDirectory(mixed);
        File.WriteAllText(Path.Combine(mixed, "meta.json"),
            "{\"session_id\": \"mixed-lines-0001\", \"started_at\": 1772442000.0, \"ended_at\": 1772442009.0, \"agent_name\": \"claude-code\", \"command\": \"x\"}");
        string big = new('x', 3 << 20); // over the 1 MiB block that is rendered on the pool: rendered inline
        string longLine = "{\"event_type\": \"tool_result\", \"timestamp\": 1772442002.0, \"event_id\": \"e2\", \"session_id\": \"mixed-lines-0001\", \"duration_ms\": 7, \"data\": {\"tool_name\": \"Bash\", \"result\": \"" + big + "\"}}";
        File.WriteAllText(Path.Combine(mixed, "events.ndjson"),
            "{\"event_type\": \"session_start\", \"timestamp\": 1772442000.0, \"event_id\": \"e0\", \"session_id\": \"mixed-lines-0001\", \"data\": {}}\n"
            + "\n"
            + "not json at all\n"
            + "{\"event_type\": \"tool_call\", \"timestamp\": 1772442001.0, \"event_id\": \"e1\", \"session_id\": \"mixed-lines-0001\", \"data\": {\"tool_name\": \"Bash\", \"arguments\": {\"command\": \"caf\\u00e9 \\\"q\\\"\"}}}\r\n"
            + longLine + "\n"
            + "{\"event_type\": \"session_end\", \"timestamp\": 1772442009.0, \"event_id\": \"e3\", \"session_id\": \"mixed-lines-0001\", \"data\": {}}\n");
        string empty = Path.Combine(store.Path, "no-events-00001");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "meta.json"),
            "{\"session_id\": \"no-events-00001\", \"started_at\": 1772442100.0, \"agent_name\": \"claude-code\", \"command\": \"y\"}");

        string package = PackageFixture.Build(store.Path);

        // The verifier compares digests of the two copies of every session's article_12, raw lines aside.
        PackageVerifyResult verified = PackageFixture.Verify(package);
        await Assert.That(verified.Ok).IsTrue().Because(string.Join("\n", verified.Problems.Select(p => p.Where + ": " + p.Message)));
        using var doc = JsonDocument.Parse(package);
        JsonElement root = doc.RootElement;
        JsonElement[] tops = [.. root.GetProperty("article_12").GetProperty("logging_obligations").EnumerateArray()];
        JsonElement[] sessions = [.. root.GetProperty("sessions").EnumerateArray()];
        await Assert.That(tops.Length).IsEqualTo(sessions.Length);
        int withEvents = 0;
        for (int i = 0; i < tops.Length; i++)
        {
            JsonElement[] top = [.. tops[i].GetProperty("events").EnumerateArray()];
            JsonElement[] evidence = [.. sessions[i].GetProperty("article_12").GetProperty("events").EnumerateArray()];
            await Assert.That(top.Length).IsEqualTo(evidence.Length);
            if (top.Length > 0) withEvents++;
            for (int j = 0; j < top.Length; j++)
            {
                await Assert.That(top[j].GetProperty("seq").GetInt32()).IsEqualTo(j + 1);
                await Assert.That(Members(top[j])).IsEqualTo(Members(evidence[j], "line_number", "raw_line"));
            }
        }
        await Assert.That(withEvents).IsGreaterThan(1);
        JsonElement[] mixedEvents = [.. sessions.Single(s => s.GetProperty("session_id").GetString() == "mixed-lines-0001")
            .GetProperty("article_12").GetProperty("events").EnumerateArray()];
        await Assert.That(mixedEvents.Select(e => e.GetProperty("event_id").GetString() ?? "")).IsEquivalentTo(["e0", "e1", "e2", "e3"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(mixedEvents.Select(e => e.GetProperty("line_number").GetInt64())).IsEquivalentTo([1L, 4L, 5L, 6L], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(mixedEvents[2].GetProperty("raw_line").GetString()).IsEqualTo(longLine);
        await Assert.That(mixedEvents[2].GetProperty("duration_ms").GetInt32()).IsEqualTo(7);
        JsonElement noEvents = sessions.Single(s => s.GetProperty("session_id").GetString() == "no-events-00001");
        await Assert.That(noEvents.GetProperty("article_12").GetProperty("events").GetArrayLength()).IsEqualTo(0);
    }

    // The object's members in order, as JSON text, leaving out the named ones.
    private static string Members(JsonElement e, params string[] without)
    {
        var text = new StringBuilder();
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (!without.Contains(p.Name)) text.Append(p.Name).Append('=').Append(p.Value.GetRawText()).Append('\n');
        }
        return text.ToString();
    }
}
