using AgentStrace.Export;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.Testing;
using AgentStrace.Tests.Otlp;

namespace AgentStrace.Tests.Spans;

/// <summary>
/// The GenAI span conventions as a table (attribute → type → requirement level per operation), written from the
/// semantic-conventions registry: v1.41.1 (<c>model/gen-ai/registry.yaml</c>, <c>spans.yaml</c>) and "latest" = v1.41.1
/// plus semantic-conventions-genai #242 (no gen_ai.agent.id on internal agent spans), #289 (no gen_ai.provider.name on
/// internal agent spans) and #440 (cache_creation renamed cache_write). Every emitted gen_ai.* key must be in the table
/// for its operation, typed right; required ones must be present; error.type exactly on failed spans. Checked against
/// the generated v1.41.0 attribute definitions (opentelemetry-go semconv/v1.41.0) and the span definitions as moved to
/// semantic-conventions-genai right after v1.41 (its migration guide lists every change since v1.41.0).
/// </summary>
public sealed class GenAiConventionsTests
{
    public enum Level { Required, ConditionallyRequired, Recommended, OptIn }

    public enum Type { String, Int, StringArray, Any }

    private sealed record Rule(Type Type, Level Level);

    private static Dictionary<string, Dictionary<string, Rule>> Table(Semconv version)
    {
        bool latest = version == Semconv.Latest;
        var chat = new Dictionary<string, Rule>
        {
            ["gen_ai.operation.name"] = new(Type.String, Level.Required),
            ["gen_ai.provider.name"] = new(Type.String, Level.Required),
            ["gen_ai.request.model"] = new(Type.String, Level.ConditionallyRequired),
            ["gen_ai.request.max_tokens"] = new(Type.Int, Level.Recommended),
            ["gen_ai.response.model"] = new(Type.String, Level.Recommended),
            ["gen_ai.response.finish_reasons"] = new(Type.StringArray, Level.Recommended),
            ["gen_ai.usage.input_tokens"] = new(Type.Int, Level.Recommended),
            ["gen_ai.usage.output_tokens"] = new(Type.Int, Level.Recommended),
            ["gen_ai.usage.cache_read.input_tokens"] = new(Type.Int, Level.Recommended),
            [latest ? "gen_ai.usage.cache_write.input_tokens" : "gen_ai.usage.cache_creation.input_tokens"] = new(Type.Int, Level.Recommended),
            ["gen_ai.conversation.id"] = new(Type.String, Level.ConditionallyRequired),
        };
        var tool = new Dictionary<string, Rule>
        {
            ["gen_ai.operation.name"] = new(Type.String, Level.Required),
            // Required since semantic-conventions #3595 ("execute tool to have name required"), in v1.41.
            ["gen_ai.tool.name"] = new(Type.String, Level.Required),
            ["gen_ai.tool.call.id"] = new(Type.String, Level.Recommended),
            ["gen_ai.tool.type"] = new(Type.String, Level.Recommended),
            ["gen_ai.tool.call.arguments"] = new(Type.Any, Level.OptIn),
            ["gen_ai.tool.call.result"] = new(Type.Any, Level.OptIn),
        };
        var agent = new Dictionary<string, Rule>
        {
            ["gen_ai.operation.name"] = new(Type.String, Level.Required),
            ["gen_ai.agent.name"] = new(Type.String, Level.ConditionallyRequired),
            ["gen_ai.conversation.id"] = new(Type.String, Level.ConditionallyRequired),
            ["gen_ai.usage.input_tokens"] = new(Type.Int, Level.Recommended),
            ["gen_ai.usage.output_tokens"] = new(Type.Int, Level.Recommended),
        };
        if (!latest)
        {
            agent["gen_ai.provider.name"] = new(Type.String, Level.Required);
            agent["gen_ai.agent.id"] = new(Type.String, Level.ConditionallyRequired);
        }
        return new() { ["chat"] = chat, ["execute_tool"] = tool, ["invoke_agent"] = agent };
    }

    private static readonly string[] s_deprecated =
        ["gen_ai.system", "gen_ai.prompt", "gen_ai.completion", "exception.escaped", "gen_ai.user.message", "gen_ai.assistant.message",
         "gen_ai.system.message", "gen_ai.tool.message", "gen_ai.choice", "gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens"];

    [Test]
    [Arguments(Semconv.Default, "sample")]
    [Arguments(Semconv.Default, "handmade")]
    [Arguments(Semconv.V141, "sample")]
    [Arguments(Semconv.V141, "handmade")]
    [Arguments(Semconv.Latest, "sample")]
    [Arguments(Semconv.Latest, "handmade")]
    public async Task EveryGenAiKey_KnownTypedAndRequiredPresent_ErrorTypeOnFailedSpans(Semconv version, string storeName)
    {
        var table = Table(version);
        var store = new TraceStore(storeName == "sample" ? Repo.SampleStore : HandmadeStore.Path);
        var sink = new CollectingSink();
        await new TraceExporter(new SpanOptions { Semconv = version })
            .ExportAsync(TraceExportPlan.Build(store, store.List()), new SpanBatcher(sink), rootFirst: false, CancellationToken.None);
        var kinds = new HashSet<string>();
        foreach (Span span in sink.AllSpans)
        {
            string op = span.Attributes.Single(a => a.Key == "gen_ai.operation.name").Value.ToString()!;
            await Assert.That(table.ContainsKey(op)).IsTrue().Because(span.Name + ": operation " + op);
            kinds.Add(op);
            Dictionary<string, Rule> rules = table[op];
            foreach (SpanAttribute a in span.Attributes.Where(a => a.Key.StartsWith("gen_ai.", StringComparison.Ordinal)))
            {
                await Assert.That(rules.ContainsKey(a.Key)).IsTrue().Because($"{span.Name}: {a.Key} is not in the {version} table for {op}");
                await Assert.That(TypeOf(a.Value)).IsEqualTo(rules[a.Key].Type == Type.Any ? TypeOf(a.Value) : rules[a.Key].Type).Because(span.Name + " " + a.Key);
            }
            foreach (var (key, rule) in rules.Where(r => r.Value.Level == Level.Required))
            {
                await Assert.That(span.Attributes.Any(a => a.Key == key)).IsTrue().Because($"{span.Name}: required {key}");
            }
            bool failed = span.Status == StatusCode.Error;
            await Assert.That(span.Attributes.Any(a => a.Key == "error.type")).IsEqualTo(failed).Because(span.Name + ": error.type iff ERROR");
            // The default shape keeps the seed's OK on success; the official shapes leave it unset.
            if (version != Semconv.Default) await Assert.That(span.Status).IsNotEqualTo(StatusCode.Ok).Because(span.Name + ": success leaves status unset");
            foreach (string name in s_deprecated)
            {
                await Assert.That(span.Attributes.Any(a => a.Key == name) || span.Events.Any(e => e.Name == name || e.Attributes.Any(a => a.Key == name)))
                    .IsFalse().Because($"{span.Name}: deprecated {name}");
            }
            foreach (SpanEvent e in span.Events.Where(e => e.Name == "exception"))
            {
                await Assert.That(failed || span.ParentSpanId.Length == 0).IsTrue().Because(span.Name + ": exception event on a span that did not fail");
            }
        }
        await Assert.That(kinds).Contains("invoke_agent");
        await Assert.That(kinds).Contains("execute_tool");
        await Assert.That(kinds).Contains("chat");
    }

    [Test]
    public async Task HandmadeStore_ErrorsMarkTheirOwnSpans_RootFailsOnlyWhenTheSessionFailed()
    {
        var store = new TraceStore(HandmadeStore.Path);
        var sink = new CollectingSink();
        await new TraceExporter(new SpanOptions { Semconv = Semconv.V141 })
            .ExportAsync(TraceExportPlan.Build(store, store.List()), new SpanBatcher(sink), rootFirst: false, CancellationToken.None);
        var spans = sink.AllSpans.ToList();
        await Assert.That(spans.Any(s => s.Name == "execute_tool error")).IsFalse();
        Span search = spans.Single(s => s.Name == "execute_tool search_files");
        await Assert.That(search.Status).IsEqualTo(StatusCode.Error);
        await Assert.That(Attr(search, "error.type")).IsEqualTo("-32603");
        Span failedChat = spans.Single(s => s.Name == "chat claude-sonnet-4-6" && s.Status == StatusCode.Error);
        await Assert.That(Attr(failedChat, "error.type")).IsEqualTo("RateLimitError");
        await Assert.That(failedChat.Events.Single().Attributes.Single(a => a.Key == "exception.type").Value.ToString()).IsEqualTo("RateLimitError");
        await Assert.That(Attr(spans.Single(s => s.Name == "chat my-local-llama"), "gen_ai.provider.name")).IsEqualTo("unknown");

        Span models = spans.Single(s => s.Name == "invoke_agent bot");
        await Assert.That(models.Status).IsEqualTo(StatusCode.Unset);
        await Assert.That(Attr(models, "gen_ai.provider.name")).IsEqualTo("anthropic");
        await Assert.That(Attr(models, "agent_strace.model.errors")).IsEqualTo("1");
        Span mcp = spans.Single(s => s.Name == "invoke_agent filesystem");
        await Assert.That(mcp.Status).IsEqualTo(StatusCode.Unset);
        await Assert.That(Attr(mcp, "agent_strace.tool.errors")).IsEqualTo("1");
        Span killed = spans.Single(s => s.Name == "invoke_agent claude-code");
        await Assert.That(killed.Status).IsEqualTo(StatusCode.Error);
        await Assert.That(killed.StatusMessage).IsEqualTo("killed by the watchdog: cost limit");
        await Assert.That(Attr(killed, "error.type")).IsEqualTo("watchdog_kill");
    }

    private static string? Attr(Span s, string key) => s.Attributes.FirstOrDefault(a => a.Key == key) is { Key: not null } a ? a.Value.ToString() : null;

    private static Type TypeOf(AttributeValue v) => v.Kind switch
    {
        AttributeKind.Int => Type.Int,
        AttributeKind.StringArray => Type.StringArray,
        _ => Type.String,
    };
}
