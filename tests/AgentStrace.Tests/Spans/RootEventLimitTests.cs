using System.Buffers;
using System.Text.Json;
using AgentStrace.Model;
using AgentStrace.Otlp.Json;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Tests.Spans;

/// <summary>Root span events are capped like the OTel SDK's span event limit: first and last half kept, the rest counted.</summary>
public sealed class RootEventLimitTests
{
    private static Span BuildRoot(int prompts, int limit)
    {
        var meta = new SessionMeta { SessionId = "long", AgentName = "claude-code", StartedAt = 1 };
        var builder = new SessionSpanBuilder(new SpanOptions { MaxRootEvents = limit }, meta, TraceIds.TraceId("long"));
        var spans = new List<Span>();
        for (int i = 0; i < prompts; i++)
        {
            var b = new EventBuilder();
            b.Data.WriteString("prompt", "prompt " + i);
            builder.Add(b.Build(EventType.UserPrompt, "long", 2 + i, eventId: "p" + i), spans.Add);
        }
        builder.Finish(spans.Add);
        return spans[^1];
    }

    [Test]
    public async Task LongSession_KeepsFirstAndLastHalf_CountsDropped()
    {
        Span root = BuildRoot(300, 128);
        await Assert.That(root.Events.Count).IsEqualTo(128);
        await Assert.That(root.DroppedEventsCount).IsEqualTo(172u);
        await Assert.That(root.Events[0].Attributes[0].Value.String).IsEqualTo("prompt 0");
        await Assert.That(root.Events[63].Attributes[0].Value.String).IsEqualTo("prompt 63");
        await Assert.That(root.Events[64].Attributes[0].Value.String).IsEqualTo("prompt 236");
        await Assert.That(root.Events[^1].Attributes[0].Value.String).IsEqualTo("prompt 299");
    }

    [Test]
    public async Task ShortSession_KeepsEverything()
    {
        Span root = BuildRoot(10, 128);
        await Assert.That(root.Events.Count).IsEqualTo(10);
        await Assert.That(root.DroppedEventsCount).IsEqualTo(0u);
    }

    [Test]
    public async Task DroppedCount_IsEncodedInOtlpJson()
    {
        Span root = BuildRoot(5, 2);
        var rs = new ResourceSpans();
        rs.Spans.Add(root);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) OtlpJsonTraceWriter.Write(w, [rs]);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        JsonElement span = doc.RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans")[0];
        await Assert.That(span.GetProperty("droppedEventsCount").GetInt32()).IsEqualTo(3);
        await Assert.That(span.GetProperty("events").GetArrayLength()).IsEqualTo(2);
    }
}
