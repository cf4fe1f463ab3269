using System.Text.Json;
using AgentStrace.Spans;
using AgentStrace.Tests.Support;
using static AgentStrace.Tests.Spans.SpanTestHelper;

namespace AgentStrace.Tests.Spans;

/// <summary>Every attribute and event of upstream's expected otlp-genai payload for sample C is present with the same value.</summary>
public sealed class UpstreamPayloadTests
{
    [Test]
    public async Task GenAi_SampleC_CarriesEveryUpstreamAttributeAndEvent()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.SampleStore, "_expected", "c7a05e3f91d24b68.otlp-genai.json")));
        JsonElement scope = doc.RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0];
        var (root, children) = Build("c7a05e3f91d24b68", new SpanOptions { Format = SpanFormat.GenAi });
        var ours = new List<Span> { root };
        ours.AddRange(children);
        JsonElement[] expected = scope.GetProperty("spans").EnumerateArray().ToArray();
        await Assert.That(ours.Count).IsEqualTo(expected.Length);
        await Assert.That(scope.GetProperty("scope").GetProperty("version").GetString()).IsEqualTo("genai-semconv-1.27");
        for (int i = 0; i < expected.Length; i++)
        {
            JsonElement x = expected[i];
            Span s = ours[i];
            await Assert.That(s.Name).IsEqualTo(x.GetProperty("name").GetString());
            await Assert.That(s.StartTimeUnixNano.ToString()).IsEqualTo(x.GetProperty("startTimeUnixNano").GetString());
            await Assert.That(s.EndTimeUnixNano.ToString()).IsEqualTo(x.GetProperty("endTimeUnixNano").GetString());
            // One deliberate difference: upstream's root is ERROR because a tool failed; the agent recovered and the
            // session ended normally, so our root is OK and the failure stays on its tool span.
            int expectedStatus = i == 0 ? (int)StatusCode.Ok : x.GetProperty("status").GetProperty("code").GetInt32();
            await Assert.That((int)s.Status).IsEqualTo(expectedStatus);
            if (i > 0 && x.GetProperty("status").TryGetProperty("message", out JsonElement msg)) await Assert.That(s.StatusMessage).IsEqualTo(msg.GetString());
            await AssertAttributes(s.Attributes, x.GetProperty("attributes"));
            if (x.TryGetProperty("events", out JsonElement events))
            {
                JsonElement[] ev = events.EnumerateArray().ToArray();
                await Assert.That(s.Events.Count).IsEqualTo(ev.Length);
                for (int j = 0; j < ev.Length; j++)
                {
                    await Assert.That(s.Events[j].Name).IsEqualTo(ev[j].GetProperty("name").GetString());
                    await Assert.That(s.Events[j].TimeUnixNano.ToString()).IsEqualTo(ev[j].GetProperty("timeUnixNano").GetString());
                    await AssertAttributes(s.Events[j].Attributes, ev[j].GetProperty("attributes"));
                }
            }
        }
    }

    private static async Task AssertAttributes(List<SpanAttribute> ours, JsonElement expected)
    {
        foreach (JsonElement a in expected.EnumerateArray())
        {
            string key = a.GetProperty("key").GetString()!;
            AttributeValue? v = Attr(ours, key);
            await Assert.That(v).IsNotNull().Because(key);
            JsonProperty p = a.GetProperty("value").EnumerateObject().First();
            string actual = p.Name switch
            {
                "stringValue" => v!.Value.Kind == AttributeKind.String ? v.Value.String : "<" + v.Value.Kind + ">",
                "intValue" => v!.Value.Kind == AttributeKind.Int ? v.Value.Int.ToString() : "<" + v.Value.Kind + ">",
                "boolValue" => v!.Value.Kind == AttributeKind.Bool ? (v.Value.Bool ? "True" : "False") : "<" + v.Value.Kind + ">",
                _ => v!.Value.ToString(),
            };
            string want = p.Name == "boolValue" ? (p.Value.GetBoolean() ? "True" : "False") : p.Value.ToString();
            await Assert.That(actual).IsEqualTo(want).Because(key);
        }
    }
}
