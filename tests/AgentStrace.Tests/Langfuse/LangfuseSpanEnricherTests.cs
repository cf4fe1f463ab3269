using System.Text;
using AgentStrace.Langfuse;
using AgentStrace.Model;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Tests.Langfuse;

public sealed class LangfuseSpanEnricherTests
{
    private static TraceEvent Event(string json) => EventLine.TryParse(Encoding.UTF8.GetBytes(json), 1, out _)!;

    private static List<Span> Run(bool noContent, params string[] lines)
    {
        var meta = new SessionMeta { SessionId = "s-1", StartedAt = 1_700_000_000, AgentName = "claude-code" };
        var builder = new SessionSpanBuilder(new SpanOptions(), meta, TraceIds.TraceId("s-1"));
        var enricher = new LangfuseSpanEnricher(new LangfuseTraceContext("root-session", "alice", true), meta, noContent);
        var spans = new List<Span>();
        void Emit(Span s)
        {
            enricher.Enrich(s);
            spans.Add(s);
        }
        foreach (string line in lines)
        {
            TraceEvent e = Event(line);
            enricher.Observe(e);
            builder.Add(e, Emit);
        }
        enricher.EndSession();
        builder.Finish(Emit);
        return spans;
    }

    private static string? Attr(Span s, string key) => s.Attributes.LastOrDefault(a => a.Key == key) is { Key: not null } a ? a.Value.ToString() : null;

    [Test]
    public async Task AnthropicCacheUsage_SplitIntoLangfuseKeys()
    {
        var spans = Run(false,
            """{"event_type":"llm_request","timestamp":1700000001.0,"event_id":"r1","session_id":"s-1","data":{"model":"claude-opus-4-1","prompt":"hi"}}""",
            """{"event_type":"llm_response","timestamp":1700000002.0,"event_id":"p1","session_id":"s-1","parent_id":"r1","data":{"model":"claude-opus-4-1-20250805","text":"hello","usage":{"input_tokens":10,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200,"output_tokens":50}}}""");
        Span generation = spans[0];
        await Assert.That(Attr(generation, "langfuse.observation.type")).IsEqualTo("generation");
        await Assert.That(Attr(generation, "langfuse.observation.model.name")).IsEqualTo("claude-opus-4-1-20250805");
        await Assert.That(Attr(generation, "langfuse.observation.usage_details"))
            .IsEqualTo("{\"input\":10,\"input_cache_read\":1000,\"input_cache_creation\":200,\"output\":50,\"total\":1260}");
        await Assert.That(Attr(generation, "session.id")).IsEqualTo("root-session");
        await Assert.That(Attr(generation, "user.id")).IsEqualTo("alice");
        await Assert.That(Attr(generation, "langfuse.observation.input")).IsEqualTo("hi");
        await Assert.That(Attr(generation, "langfuse.observation.output")).IsEqualTo("hello");
    }

    [Test]
    public async Task UnmatchedCall_ToolWithInputOnly_RootIsAgent()
    {
        var spans = Run(false,
            """{"event_type":"user_prompt","timestamp":1700000000.5,"event_id":"u1","session_id":"s-1","data":{"prompt":"do it"}}""",
            """{"event_type":"tool_call","timestamp":1700000001.0,"event_id":"c1","session_id":"s-1","data":{"tool_name":"Bash","arguments":{"command":"ls"}}}""");
        Span tool = spans.Single(s => Attr(s, "langfuse.observation.type") == "tool");
        await Assert.That(Attr(tool, "langfuse.observation.input")).IsEqualTo("{\"command\":\"ls\"}");
        await Assert.That(Attr(tool, "langfuse.observation.output")).IsNull();
        Span root = spans[^1];
        await Assert.That(Attr(root, "langfuse.observation.type")).IsEqualTo("agent");
        await Assert.That(Attr(root, "langfuse.trace.name")).IsEqualTo("agent-session (claude-code)");
        await Assert.That(Attr(root, "langfuse.trace.input")).IsEqualTo("do it");
    }

    [Test]
    public async Task LongContent_Cut()
    {
        string big = new('x', LangfuseSpanEnricher.MaxContentChars + 10);
        string? cut = LangfuseObservation.Cut(big);
        await Assert.That(cut!.Length).IsLessThan(big.Length + 60);
        await Assert.That(cut).EndsWith("[cut by agent-strace: 10 more characters]");
    }
}
