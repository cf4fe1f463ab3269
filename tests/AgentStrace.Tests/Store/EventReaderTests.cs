using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Store;

public sealed class EventReaderTests
{
    [Test]
    public async Task Read_MalformedLines_AreReportedWithLineNumbersAndSkipped()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "events.ndjson");
        File.WriteAllText(path, string.Join("\n",
            "{\"event_type\":\"user_prompt\",\"timestamp\":1.0,\"event_id\":\"a\",\"data\":{\"prompt\":\"hi\"}}",
            "not json",
            "",
            "{\"event_type\":\"bogus\",\"timestamp\":1.0,\"event_id\":\"b\",\"data\":{}}",
            "{\"event_type\":\"tool_call\",\"timestamp\":2.0,\"event_id\":\"c\",\"data\":{},\"unknown\":[1,2]}",
            "{\"event_type\":\"tool_call\",\"timest"));
        var bad = new List<MalformedLine>();
        var events = EventReader.ReadFile(path, bad.Add);
        await Assert.That(events.Select(e => e.EventId).ToArray()).IsEquivalentTo(new[] { "a", "c" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(bad.Select(b => b.Line).ToArray()).IsEquivalentTo(new long[] { 2, 4, 6 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(bad[2].Reason).Contains("ends mid-line");
        await Assert.That(bad[0].ToString()).StartsWith(path + ":2:");
    }

    [Test]
    public async Task Read_HugeLine_IsReadWhole()
    {
        using var temp = new TempDir();
        var writer = new EventWriter(temp.Path);
        var b = new EventBuilder();
        b.Data.WriteString("text", new string('z', 5_000_000));
        writer.Append(b.Build(EventType.AssistantResponse, "s", 1));
        var b2 = new EventBuilder();
        b2.Data.WriteString("text", "after");
        writer.Append(b2.Build(EventType.AssistantResponse, "s", 2));
        var events = EventReader.ReadFile(writer.EventsPath);
        await Assert.That(events.Count).IsEqualTo(2);
        await Assert.That(events[0].Data.GetString("text"u8).Length).IsEqualTo(5_000_000);
        await Assert.That(events[1].Data.GetString("text"u8)).IsEqualTo("after");
    }
}
