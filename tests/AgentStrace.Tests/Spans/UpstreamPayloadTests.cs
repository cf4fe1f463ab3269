using System.Text.Json;
using AgentStrace.Spans;
using AgentStrace.Testing;
using static AgentStrace.Tests.Spans.SpanTestHelper;

namespace AgentStrace.Tests.Spans;

/// <summary>
/// Every attribute and event of upstream's expected otlp-genai payload for sample C is present with the same value,
/// except where the GenAI conventions registry differs from upstream's 1.27-era values; those are checked to carry
/// the same information under the registry's names (see <see cref="RegistryName"/>).
/// </summary>
public sealed class UpstreamPayloadTests
{
    [Test]
    public async Task GenAi_SampleC_CarriesEveryUpstreamAttributeAndEvent()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.SampleStore, "_expected", "c7a05e3f91d24b68.otlp-genai.json")));
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
            string name = x.GetProperty("name").GetString()!;
            // Upstream names a failed call's span from the error event's (missing) tool name; ours names it for the tool.
            if (name == "gen_ai.tool.call/error") await Assert.That(s.Name).IsEqualTo("gen_ai.tool.call/send_email");
            else await Assert.That(s.Name).IsEqualTo(name);
            await Assert.That(s.StartTimeUnixNano.ToString()).IsEqualTo(x.GetProperty("startTimeUnixNano").GetString());
            await Assert.That(s.EndTimeUnixNano.ToString()).IsEqualTo(x.GetProperty("endTimeUnixNano").GetString());
            // Upstream's root is ERROR because a tool failed; the agent recovered and the session ended normally, so
            // our root is OK and the failure stays on its tool span.
            int expectedStatus = i == 0 ? (int)StatusCode.Ok : x.GetProperty("status").GetProperty("code").GetInt32();
            await Assert.That((int)s.Status).IsEqualTo(expectedStatus);
            if (i > 0 && x.GetProperty("status").TryGetProperty("message", out JsonElement msg)) await Assert.That(s.StatusMessage).IsEqualTo(msg.GetString());
            await AssertAttributes(s.Attributes, x.GetProperty("attributes"), failedCall: name == "gen_ai.tool.call/error");
            if (x.TryGetProperty("events", out JsonElement events))
            {
                foreach (JsonElement e in events.EnumerateArray())
                {
                    string eventName = RegistryEventName(e.GetProperty("name").GetString()!);
                    SpanEvent? mine = s.Events.FirstOrDefault(v => v.Name == eventName && v.TimeUnixNano.ToString() == e.GetProperty("timeUnixNano").GetString());
                    await Assert.That(mine).IsNotNull().Because(eventName);
                    await AssertAttributes(mine!.Attributes, e.GetProperty("attributes"), failedCall: false);
                }
            }
        }
    }

    /// <summary>Upstream's deprecated message events and their registry-free replacements in our own namespace.</summary>
    private static string RegistryEventName(string name) => name switch
    {
        "gen_ai.user.message" => "agent_strace.user_prompt",
        "gen_ai.assistant.message" => "agent_strace.assistant_response",
        _ => name,
    };

    /// <summary>Where upstream's key is deprecated or outside the registry, the key that carries its value now.</summary>
    private static string RegistryName(string key) => key switch
    {
        "gen_ai.prompt" => "agent_strace.prompt",
        "gen_ai.completion" => "agent_strace.text",
        "gen_ai.tool.output" => "gen_ai.tool.call.result",
        _ when key.StartsWith("gen_ai.tool.input.", StringComparison.Ordinal) => "gen_ai.tool.call.arguments",
        _ => key,
    };

    private static async Task AssertAttributes(List<SpanAttribute> ours, JsonElement expected, bool failedCall)
    {
        foreach (JsonElement a in expected.EnumerateArray())
        {
            string key = a.GetProperty("key").GetString()!;
            JsonProperty p = a.GetProperty("value").EnumerateObject().First();
            string want = p.Name == "boolValue" ? (p.Value.GetBoolean() ? "True" : "False") : p.Value.ToString();
            switch (key)
            {
                case "gen_ai.system":
                    // Deprecated: gone, its value in gen_ai.provider.name (upstream's "unknown" is not a provider).
                    await Assert.That(Attr(ours, key)).IsNull();
                    await Assert.That(Attr(ours, "gen_ai.provider.name")).IsNotNull();
                    if (want != "unknown") await Assert.That(Attr(ours, "gen_ai.provider.name")!.Value.String).IsEqualTo(want);
                    continue;
                case "gen_ai.operation.name":
                    string op = want switch { "agent.session" => "invoke_agent", "execute" => "execute_tool", _ => want };
                    await Assert.That(Attr(ours, key)?.String).IsEqualTo(op);
                    continue;
                case "gen_ai.response.finish_reasons":
                    await Assert.That(Attr(ours, key)?.Kind).IsEqualTo(AttributeKind.StringArray); // the registry's string[]
                    await Assert.That(Attr(ours, key)!.Value.Array).IsEquivalentTo([want], TUnit.Assertions.Enums.CollectionOrdering.Matching);
                    continue;
                case "exception.escaped":
                    await Assert.That(Attr(ours, key)).IsNull(); // deprecated
                    continue;
                case "exception.type" when want == "Error":
                    await Assert.That(Attr(ours, key)?.String).IsEqualTo("TimeoutError"); // the recorded type, as error.type
                    continue;
                case "gen_ai.tool.name" when failedCall:
                    await Assert.That(Attr(ours, key)?.String).IsEqualTo("send_email");
                    continue;
            }
            string mapped = RegistryName(key);
            AttributeValue? v = Attr(ours, mapped);
            await Assert.That(v).IsNotNull().Because(key);
            if (mapped == "gen_ai.tool.call.arguments")
            {
                // One JSON object of the call's arguments instead of a Python repr per key.
                using JsonDocument args = JsonDocument.Parse(v!.Value.String);
                JsonElement arg = args.RootElement.GetProperty(key["gen_ai.tool.input.".Length..]);
                await Assert.That(arg.ToString()).IsEqualTo(want);
                continue;
            }
            string actual = p.Name switch
            {
                "stringValue" => v!.Value.Kind == AttributeKind.String ? v.Value.String : "<" + v.Value.Kind + ">",
                "intValue" => v!.Value.Kind == AttributeKind.Int ? v.Value.Int.ToString() : "<" + v.Value.Kind + ">",
                "boolValue" => v!.Value.Kind == AttributeKind.Bool ? (v.Value.Bool ? "True" : "False") : "<" + v.Value.Kind + ">",
                _ => v!.Value.ToString(),
            };
            // The tool result is cut at 4096 characters now, at 500 upstream.
            if (mapped == "gen_ai.tool.call.result") await Assert.That(actual).StartsWith(want.TrimEnd('.'));
            else await Assert.That(actual).IsEqualTo(want).Because(key);
        }
    }
}
