using System.Text;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Store;

public sealed class RoundTripTests
{
    public static IEnumerable<string> EventFiles()
    {
        yield return Path.Combine(Repo.PythonJson, "events.ndjson");
        foreach (string s in Repo.SampleSessions) yield return Path.Combine(Repo.SampleStore, s, "events.ndjson");
    }

    public static IEnumerable<string> MetaFiles()
    {
        yield return Path.Combine(Repo.PythonJson, "meta.json");
        foreach (string s in Repo.SampleSessions) yield return Path.Combine(Repo.SampleStore, s, "meta.json");
    }

    [Test]
    [MethodDataSource(nameof(EventFiles))]
    public async Task Events_ReadThenWrite_GivesSameBytes(string path)
    {
        var malformed = new List<MalformedLine>();
        List<TraceEvent> events = EventReader.ReadFile(path, malformed.Add);
        var sb = new StringBuilder();
        foreach (TraceEvent e in events) sb.Append(Encoding.UTF8.GetString(EventLine.Serialize(e))).Append('\n');
        await Assert.That(malformed).IsEmpty();
        await Assert.That(sb.ToString()).IsEqualTo(File.ReadAllText(path));
    }

    [Test]
    public async Task Write_EscapesIdsAsJsonDumps_AndKeepsTheUpstreamKeyOrder()
    {
        // Ids are usually plain ASCII (written in one copy); these are not, and must come out as json.dumps writes them.
        var e = new TraceEvent
        {
            Type = EventType.ToolCall, Timestamp = 1765310116.295, EventId = "id\"quote\\back", SessionId = "sé\u2028ss\n",
            ParentId = "p\u007f", DurationMs = 1e-05, Data = new RawJsonObject("{\"a\":1}"u8.ToArray()), PrevHash = "ab",
            Redacted = true, TenantId = "t\U0001F600",
        };
        string line = Encoding.UTF8.GetString(EventLine.Serialize(e));
        await Assert.That(line).IsEqualTo(
            "{\"event_type\":\"tool_call\",\"timestamp\":1765310116.295,\"event_id\":\"id\\\"quote\\\\back\","
            + "\"session_id\":\"s\\u00e9\\u2028ss\\n\",\"parent_id\":\"p\\u007f\",\"duration_ms\":1e-05,\"data\":{\"a\":1},"
            + "\"prev_hash\":\"ab\",\"redacted\":true,\"tenant_id\":\"t\\ud83d\\ude00\"}");
        TraceEvent? back = EventLine.TryParse(Encoding.UTF8.GetBytes(line), 1, out _);
        await Assert.That(back!.EventId).IsEqualTo(e.EventId);
        await Assert.That(back.SessionId).IsEqualTo(e.SessionId);
        await Assert.That(back.TenantId).IsEqualTo(e.TenantId);
    }

    [Test]
    [MethodDataSource(nameof(MetaFiles))]
    public async Task Meta_ReadThenWrite_GivesSameBytes(string path)
    {
        byte[] original = File.ReadAllBytes(path);
        SessionMeta meta = MetaJson.Read(path);
        await Assert.That(Encoding.UTF8.GetString(MetaJson.Serialize(meta))).IsEqualTo(Encoding.UTF8.GetString(original));
    }

    [Test]
    public async Task Meta_DropsZeroAndEmptyValues_KeepsUnknownKeys()
    {
        var meta = MetaJson.Parse("{\"session_id\": \"s1\", \"started_at\": 5.5, \"tool_calls\": 0, \"command\": \"\", \"tenant_id\": \"acme\", \"flag\": false}"u8, "meta.json");
        string text = Encoding.UTF8.GetString(MetaJson.Serialize(meta));
        await Assert.That(text).IsEqualTo("{\n  \"session_id\": \"s1\",\n  \"started_at\": 5.5,\n  \"tenant_id\": \"acme\"\n}");
    }

    [Test]
    public async Task SampleSession_Events_ParseFields()
    {
        var events = EventReader.ReadFile(Path.Combine(Repo.SampleStore, "9f1c2b7e-5a4d-4c", "events.ndjson"));
        await Assert.That(events.Count).IsEqualTo(14);
        TraceEvent result = events[3];
        await Assert.That(result.Type).IsEqualTo(EventType.ToolResult);
        await Assert.That(result.ParentId).IsEqualTo("5c0d2e9f8a17");
        await Assert.That(result.DurationMs).IsEqualTo(49.764156341552734);
        await Assert.That(result.Data.GetString("tool_name"u8)).IsEqualTo("Read");
        await Assert.That(events[0].PrevHash).IsEqualTo("");
        await Assert.That(events[1].PrevHash).IsEqualTo("0e85c5eb5b6314959cb6b82a03d0c88fc3a8ad3d81a57081fffdc685978ff8f9");
    }
}
