using System.Text;
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
