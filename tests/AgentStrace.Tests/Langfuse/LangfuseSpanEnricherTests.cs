using System.Text;
using AgentStrace.Langfuse;
using AgentStrace.Model;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Tests.Langfuse;

public sealed class LangfuseSpanEnricherTests
{
    private static TraceEvent Event(string json) => EventLine.TryParse(Encoding.UTF8.GetBytes(json), 1, out _)!;

    private static List<Span> Run(bool noContent, params string[] lines) =>
        Run(new LangfuseTraceContext("root-session", "alice", true) { Environment = "staging", Release = "abc123" }, noContent, lines);

    private static List<Span> Run(LangfuseTraceContext context, bool noContent, params string[] lines)
    {
        var meta = new SessionMeta { SessionId = "s-1", StartedAt = 1_700_000_000, AgentName = "claude-code" };
        var builder = new SessionSpanBuilder(new SpanOptions(), meta, TraceIds.TraceId("s-1"));
        var enricher = new LangfuseSpanEnricher(context, meta, noContent, null, TraceIds.TraceId("s-1"));
        var spans = new List<Span>();
        void Emit(Span s)
        {
            enricher.Enrich(s);
            spans.Add(s);
        }
        foreach (string line in lines)
        {
            TraceEvent e = Event(line);
            if (enricher.Observe(e) is { } observation) spans.Add(observation);
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
        await Assert.That(generation.Name).IsEqualTo("chat claude-opus-4-1-20250805");
        // Trace-level keys only on the trace's root; every span's conversation is the Langfuse session.
        await Assert.That(Attr(generation, "session.id")).IsNull();
        await Assert.That(Attr(generation, "gen_ai.conversation.id")).IsEqualTo("root-session");
        await Assert.That(Attr(generation, "langfuse.environment")).IsEqualTo("staging");
        await Assert.That(Attr(generation, "langfuse.release")).IsEqualTo("abc123");
        Span root = spans[^1];
        await Assert.That(Attr(root, "session.id")).IsEqualTo("root-session");
        await Assert.That(Attr(root, "user.id")).IsEqualTo("alice");
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
    public async Task Levels_FailedError_UnansweredWarningWithoutEstimate_LaterPromptsAreEvents()
    {
        var spans = Run(false,
            """{"event_type":"user_prompt","timestamp":1700000000.5,"event_id":"u1","session_id":"s-1","data":{"prompt":"first"}}""",
            """{"event_type":"tool_call","timestamp":1700000001.0,"event_id":"c1","session_id":"s-1","data":{"tool_name":"Bash","arguments":{"command":"false"}}}""",
            """{"event_type":"error","timestamp":1700000002.0,"event_id":"x1","session_id":"s-1","parent_id":"c1","data":{"tool_name":"Bash","error":"Exit code 1"}}""",
            """{"event_type":"user_prompt","timestamp":1700000003.0,"event_id":"u2","session_id":"s-1","data":{"prompt":"second"}}""",
            """{"event_type":"decision","timestamp":1700000003.5,"event_id":"d1","session_id":"s-1","data":{"choice":"retry"}}""",
            """{"event_type":"llm_request","timestamp":1700000004.0,"event_id":"r9","session_id":"s-1","data":{"model":"claude-sonnet-4-6","prompt":"x"}}""",
            """{"event_type":"assistant_response","timestamp":1700000005.0,"event_id":"a1","session_id":"s-1","data":{"text":"done"}}""");
        Span failed = spans.Single(s => s.Status == StatusCode.Error);
        await Assert.That(Attr(failed, "langfuse.observation.level")).IsEqualTo("ERROR");
        await Assert.That(Attr(failed, "langfuse.observation.status_message")).IsEqualTo("Exit code 1");
        Span unanswered = spans.Single(s => Attr(s, "langfuse.observation.type") == "generation");
        await Assert.That(Attr(unanswered, "langfuse.observation.level")).IsEqualTo("WARNING");
        await Assert.That(Attr(unanswered, "langfuse.observation.cost_details")).IsEqualTo("{\"total\":0}");
        await Assert.That(unanswered.Name).IsEqualTo("chat claude-sonnet-4-6");
        var events = spans.Where(s => Attr(s, "langfuse.observation.type") == "event").ToList();
        await Assert.That(events.Select(e => e.Name).ToArray()).IsEquivalentTo(new[] { "user_prompt", "user_prompt", "decision", "assistant_response" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Attr(events[1], "langfuse.observation.input")).IsEqualTo("second");
        await Assert.That(events.All(e => e.ParentSpanId.AsSpan().SequenceEqual(TraceIds.RootSpanId("s-1")))).IsTrue();
        // The agent recovered: the root is not an error.
        await Assert.That(spans[^1].Status).IsNotEqualTo(StatusCode.Error);
        await Assert.That(Attr(spans[^1], "langfuse.observation.level")).IsNull();
    }

    [Test]
    public async Task SubAgentRoot_CarriesNoTraceLevelKeys()
    {
        var spans = Run(new LangfuseTraceContext("root-session", "alice", IsTraceRoot: false), false,
            """{"event_type":"user_prompt","timestamp":1700000000.5,"event_id":"u1","session_id":"s-1","data":{"prompt":"sub"}}""");
        Span root = spans[^1];
        await Assert.That(Attr(root, "langfuse.observation.type")).IsEqualTo("agent");
        foreach (string key in new[] { "session.id", "user.id", "langfuse.trace.tags", "langfuse.trace.name", "langfuse.trace.metadata", "langfuse.trace.input" })
        {
            await Assert.That(Attr(root, key)).IsNull().Because(key);
        }
        await Assert.That(Attr(root, "gen_ai.conversation.id")).IsEqualTo("root-session");
    }

    [Test]
    [Arguments("production", true)]
    [Arguments("Prod", false)]
    [Arguments("langfuse-x", false)]
    [Arguments("a b", false)]
    public async Task Environment_FollowsLangfuseRule(string value, bool ok)
    {
        if (ok) await Assert.That(LangfuseTraceContext.ResolveEnvironment(value, _ => null)).IsEqualTo(value);
        else await Assert.That(() => LangfuseTraceContext.ResolveEnvironment(value, _ => null)).Throws<AgentStrace.Errors.AgentStraceException>();
        await Assert.That(LangfuseTraceContext.ResolveEnvironment(null, k => k == "LANGFUSE_TRACING_ENVIRONMENT" ? "ci" : null)).IsEqualTo("ci");
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
