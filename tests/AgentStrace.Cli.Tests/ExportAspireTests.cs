using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>The AOT binary exports into a real OTLP receiver (the Aspire dashboard) over every protocol.</summary>
[ClassDataSource<AspireReceiver>(Shared = SharedType.PerTestSession)]
public sealed class ExportAspireTests(AspireReceiver aspire)
{
    [Test]
    [Arguments("http/protobuf", "none")]
    [Arguments("http/json", "none")]
    [Arguments("grpc", "none")]
    [Arguments("grpc", "gzip")]
    public async Task ExportAll_GenAi_ArrivesWithTreeKindsStatusEventsAttributes(string protocol, string compression)
    {
        using var store = new FreshStore();
        string service = "genai-" + protocol.Replace('/', '-') + "-" + compression;
        string endpoint = protocol == "grpc" ? aspire.OtlpGrpcUrl : aspire.OtlpHttpUrl;
        var r = await AgentStraceCli.RunAsync(["export", "--all", "--format", "otlp-genai", "--endpoint", endpoint, "--protocol", protocol,
            "--compression", compression, "--service-name", service], store.Root);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        // 15: sample B's MCP error marks the search_files span it answers instead of adding a span of its own.
        await Assert.That(r.Stderr).Contains("exported 15 spans");

        List<JsonElement> spans = await aspire.WaitForSpansAsync(service, 15);
        await Assert.That(spans.Count).IsEqualTo(15);
        var byName = spans.GroupBy(s => s.GetProperty("name").GetString()!).ToDictionary(g => g.Key, g => g.ToList());

        // Sample A (hooks): root, an ERROR Bash span with an exception event, the Agent span parenting sample B.
        string hooksTrace = FreshStore.TraceId(store.Hooks);
        JsonElement root = spans.Single(s => s.GetProperty("name").GetString() == "gen_ai.agent.session (claude-code)");
        await Assert.That(root.GetProperty("traceId").GetString()).IsEqualTo(hooksTrace);
        await Assert.That(Attr(root, "gen_ai.agent.id")).IsEqualTo(store.Hooks);
        await Assert.That(Attr(root, "gen_ai.agent.name")).IsEqualTo("claude-code");
        // The agent recovered from its failed Bash call: the root is OK and counts the failure; ERROR only where a span failed.
        await Assert.That(root.GetProperty("status").GetProperty("code").GetInt32()).IsEqualTo(1);
        await Assert.That(Attr(root, "agent_strace.tool.errors")).IsEqualTo("1");
        await Assert.That(Attr(root, "gen_ai.operation.name")).IsEqualTo("invoke_agent");
        await Assert.That(Events(root)).Contains("agent_strace.user_prompt");
        foreach (JsonElement s in spans.Where(s => Status(s) == 2))
        {
            await Assert.That(Events(s)).Contains("exception").Because(s.GetProperty("name").GetString()!);
        }

        JsonElement failed = byName["gen_ai.tool.call/Bash"].Single(s => Status(s) == 2);
        await Assert.That(failed.GetProperty("kind").GetInt32()).IsEqualTo(3);
        await Assert.That(Events(failed)).Contains("exception");
        await Assert.That(Attr(failed, "gen_ai.operation.name")).IsEqualTo("execute_tool");
        await Assert.That(Attr(failed, "error.type")).IsNotNull();
        JsonElement search = byName["gen_ai.tool.call/search_files"].Single();
        await Assert.That(Status(search)).IsEqualTo(2);
        await Assert.That(byName.ContainsKey("gen_ai.tool.call/error")).IsFalse();
        await Assert.That(failed.GetProperty("parentSpanId").GetString()).IsEqualTo(root.GetProperty("spanId").GetString());

        JsonElement agent = byName["gen_ai.tool.call/Agent"].Single();
        await Assert.That(agent.GetProperty("spanId").GetString()).IsEqualTo(FreshStore.SpanId("e85b2c7d0a41"));
        JsonElement subRoot = spans.Single(s => s.GetProperty("name").GetString() == "gen_ai.agent.session (filesystem)");
        await Assert.That(subRoot.GetProperty("traceId").GetString()).IsEqualTo(hooksTrace);
        await Assert.That(subRoot.GetProperty("parentSpanId").GetString()).IsEqualTo(agent.GetProperty("spanId").GetString());

        // Sample C (SDK): model calls with usage.
        JsonElement llm = byName["gen_ai.client.operation"].First(s => Attr(s, "gen_ai.usage.input_tokens") == "1840");
        await Assert.That(Attr(llm, "gen_ai.request.model")).IsEqualTo("claude-sonnet-4-6");
        await Assert.That(Attr(llm, "gen_ai.provider.name")).IsEqualTo("anthropic");
        await Assert.That(Attr(llm, "gen_ai.usage.output_tokens")).IsEqualTo("212");
        await Assert.That(llm.GetProperty("traceId").GetString()).IsEqualTo(FreshStore.TraceId(store.Sdk));

        using JsonDocument resources = await aspire.GetResourcesAsync();
        await Assert.That(resources.RootElement.EnumerateArray().Any(e => e.GetProperty("name").GetString() == service)).IsTrue();
    }

    [Test]
    public async Task Export_Classic_SpanNamesAsUpstream()
    {
        using var store = new FreshStore();
        var r = await AgentStraceCli.RunAsync(["export", store.Sdk, "--format", "otlp", "--endpoint", aspire.OtlpHttpUrl, "--service-name", "classic-c"], store.Root);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        List<JsonElement> spans = await aspire.WaitForSpansAsync("classic-c", 3);
        string[] names = spans.Select(s => s.GetProperty("name").GetString()!).Order().ToArray();
        await Assert.That(names).IsEquivalentTo(new[] { "agent-session (support-bot)", "error", "tool/lookup_order" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        JsonElement root = spans.Single(s => s.GetProperty("name").GetString()!.StartsWith("agent-session", StringComparison.Ordinal));
        await Assert.That(Events(root)).Contains("gen_ai.system.message");
        await Assert.That(Events(root)).Contains("decision");
    }

    [Test]
    public async Task Demo_WithEndpoint_SendsItsTrace()
    {
        var r = await AgentStraceCli.RunAsync(["demo", "--endpoint", aspire.OtlpHttpUrl, "--service-name", "demo-e2e", "--semconv", "v1.41"]);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        List<JsonElement> spans = await aspire.WaitForSpansAsync("demo-e2e", 20);
        string[] names = spans.Select(s => s.GetProperty("name").GetString()!).ToArray();
        await Assert.That(names).Contains("invoke_agent claude-code");
        await Assert.That(names).Contains("chat claude-sonnet-4-6");
        await Assert.That(names).Contains("execute_tool Agent");
        await Assert.That(names).Contains("chat claude-haiku-4-5");
        // v1.41: one failed span (the Bash call), with error.type; every other status is left unset.
        var failed = spans.Where(s => Status(s) == 2).ToList();
        await Assert.That(failed.Count).IsEqualTo(1);
        await Assert.That(failed[0].GetProperty("name").GetString()).IsEqualTo("execute_tool Bash");
        await Assert.That(Attr(failed[0], "error.type")).IsNotNull();
        await Assert.That(spans.Count(s => Status(s) == 1)).IsEqualTo(0);
        await Assert.That(Attr(spans.First(s => s.GetProperty("name").GetString() == "invoke_agent claude-code"), "gen_ai.provider.name")).IsEqualTo("anthropic");
    }

    private static string? Attr(JsonElement span, string key)
    {
        foreach (JsonElement a in span.GetProperty("attributes").EnumerateArray())
        {
            if (a.GetProperty("key").GetString() != key) continue;
            JsonProperty v = a.GetProperty("value").EnumerateObject().First();
            return v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : v.Value.GetRawText();
        }
        return null;
    }

    private static int Status(JsonElement span) =>
        span.TryGetProperty("status", out JsonElement st) && st.TryGetProperty("code", out JsonElement c) ? c.GetInt32() : 0;

    private static List<string> Events(JsonElement span) =>
        span.TryGetProperty("events", out JsonElement ev) ? ev.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList() : [];
}
