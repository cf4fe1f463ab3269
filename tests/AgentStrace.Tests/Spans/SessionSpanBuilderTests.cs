using AgentStrace.Model;
using AgentStrace.Spans;
using AgentStrace.Store;
using static AgentStrace.Tests.Spans.SpanTestHelper;

namespace AgentStrace.Tests.Spans;

/// <summary>The behaviours upstream's test_otlp.py, test_otlp_improvements.py and test_otlp_genai.py pin, plus ours.</summary>
public sealed class SessionSpanBuilderTests
{
    private static TraceEvent Ev(EventType type, string id, double ts, Action<AgentStrace.Json.PyJsonWriter>? data = null, string parent = "", double? durationMs = null)
    {
        var b = new EventBuilder();
        data?.Invoke(b.Data);
        return b.Build(type, "sess1", ts, parent, durationMs, id);
    }

    // upstream TestSessionToOTLP._make_session
    private static List<TraceEvent> UpstreamFixture() =>
    [
        Ev(EventType.SessionStart, "e0", 100, w => w.WriteString("mode", "claude-code-hooks")),
        Ev(EventType.UserPrompt, "e1", 101, w => w.WriteString("prompt", "Fix the bug")),
        Ev(EventType.ToolCall, "c1", 102, w => { w.WriteString("tool_name", "Bash"); w.WritePropertyName("arguments"); w.WriteStartObject(); w.WriteString("command", "npm test"); w.WriteEndObject(); }),
        Ev(EventType.ToolResult, "r1", 103, w => { w.WriteString("tool_name", "Bash"); w.WriteString("result", "All tests passed"); }, "c1", 150),
        Ev(EventType.ToolCall, "c2", 104, w => { w.WriteString("tool_name", "Read"); w.WritePropertyName("arguments"); w.WriteStartObject(); w.WriteString("file_path", "/src/main.py"); w.WriteEndObject(); }),
        Ev(EventType.Error, "x1", 105, w => { w.WriteString("tool_name", "Read"); w.WriteString("error", "File not found"); }, "c2", 5),
        Ev(EventType.AssistantResponse, "e2", 106, w => w.WriteString("text", "I fixed the bug.")),
        Ev(EventType.SessionEnd, "e3", 107),
    ];

    private static (Span Root, List<Span> Children) Run(IEnumerable<TraceEvent> events, SpanOptions options, SessionMeta? meta = null)
    {
        meta ??= new SessionMeta { SessionId = "sess1", AgentName = "claude-code", Command = "test", ToolCalls = 3, Errors = 1, StartedAt = 100, EndedAt = 107 };
        var builder = new SessionSpanBuilder(options, meta, TraceIds.TraceId(meta.SessionId));
        var spans = new List<Span>();
        foreach (TraceEvent e in events) builder.Add(e, spans.Add);
        builder.Finish(spans.Add);
        return (spans[^1], spans[..^1]);
    }

    [Test]
    public async Task Classic_UpstreamFixture_RootToolAndErrorSpans()
    {
        var (root, children) = Run(UpstreamFixture(), new SpanOptions { Format = SpanFormat.Classic });
        await Assert.That(root.Name).IsEqualTo("agent-session (claude-code)");
        await Assert.That(children.Select(c => c.Name).ToArray()).IsEquivalentTo(new[] { "tool/Bash", "Read" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        Span bash = children[0], read = children[1];
        await Assert.That(bash.Kind).IsEqualTo(SpanKind.Client);
        await Assert.That(Attr(bash.Attributes, "tool.input.command")?.String).IsEqualTo("npm test");
        await Assert.That(bash.EndTimeUnixNano > bash.StartTimeUnixNano).IsTrue();
        await Assert.That(read.Status).IsEqualTo(StatusCode.Error);
        await Assert.That(read.Events.Single().Name).IsEqualTo("exception");
        await Assert.That(root.Events.Select(e => e.Name).ToArray()).IsEquivalentTo(new[] { "user_prompt", "assistant_response" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Attr(root.Attributes, "gen_ai.system")?.String).IsEqualTo("anthropic");
        await Assert.That(Attr(root.Attributes, "agent.tool_calls")?.Int).IsEqualTo(3L);
    }

    [Test]
    [Arguments("claude-code", "anthropic")]
    [Arguments("gpt-4o-agent", "openai")]
    [Arguments("my-custom-agent", "unknown")]
    public async Task Classic_GenAiSystem_FromAgentName(string agent, string system)
    {
        var (root, _) = Run([], new SpanOptions { Format = SpanFormat.Classic }, new SessionMeta { SessionId = "s", AgentName = agent });
        await Assert.That(Attr(root.Attributes, "gen_ai.system")?.String).IsEqualTo(system);
    }

    [Test]
    public async Task EmptySession_OnlyRoot()
    {
        var (root, children) = Run([], new SpanOptions { Format = SpanFormat.Classic }, new SessionMeta { SessionId = "s", AgentName = "test" });
        await Assert.That(children).IsEmpty();
        await Assert.That(root.ParentSpanId).IsEmpty();
    }

    [Test]
    public async Task GenAi_LlmPair_UsageModelFinishReason()
    {
        TraceEvent[] events =
        [
            Ev(EventType.LlmRequest, "q1", 100, w => { w.WriteString("model", "gpt-4o"); w.WriteNumber("input_tokens", 100L); w.WriteNumber("max_tokens", 4096L); }),
            Ev(EventType.LlmResponse, "a1", 101, w => { w.WriteString("model", "gpt-4o"); w.WriteNumber("output_tokens", 50L); w.WriteString("stop_reason", "end_turn"); }, "q1"),
        ];
        var (root, children) = Run(events, new SpanOptions(), new SessionMeta { SessionId = "s", AgentName = "unknown-agent", StartedAt = 100 });
        Span llm = children.Single();
        await Assert.That(llm.Name).IsEqualTo("gen_ai.client.operation");
        await Assert.That(llm.ParentSpanId).IsEquivalentTo(root.SpanId, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Attr(llm.Attributes, "gen_ai.system")).IsNull(); // deprecated: gen_ai.provider.name instead
        await Assert.That(Attr(llm.Attributes, "gen_ai.provider.name")?.String).IsEqualTo("openai");
        await Assert.That(Attr(llm.Attributes, "gen_ai.usage.input_tokens")?.Int).IsEqualTo(100L);
        await Assert.That(Attr(llm.Attributes, "gen_ai.usage.output_tokens")?.Int).IsEqualTo(50L);
        AttributeValue? reasons = Attr(llm.Attributes, "gen_ai.response.finish_reasons");
        await Assert.That(reasons?.Kind).IsEqualTo(AttributeKind.StringArray);
        await Assert.That(reasons!.Value.ToString()).Contains("end_turn");
        await Assert.That(Attr(root.Attributes, "gen_ai.usage.input_tokens")?.Int).IsEqualTo(100L);
    }

    [Test]
    public async Task GenAi_AnthropicUsage_IncludesCacheTokens()
    {
        TraceEvent[] events =
        [
            Ev(EventType.LlmRequest, "q1", 100, w => w.WriteString("model", "claude-sonnet-4-6")),
            Ev(EventType.LlmResponse, "a1", 102, w =>
            {
                w.WriteString("model", "claude-sonnet-4-6");
                w.WritePropertyName("usage"); w.WriteStartObject();
                w.WriteNumber("input_tokens", 10L); w.WriteNumber("output_tokens", 20L);
                w.WriteNumber("cache_read_input_tokens", 1000L); w.WriteNumber("cache_creation_input_tokens", 300L);
                w.WriteEndObject();
            }, "q1"),
        ];
        var (_, children) = Run(events, new SpanOptions { Semconv = Semconv.Latest });
        Span chat = children.Single();
        await Assert.That(chat.Name).IsEqualTo("chat claude-sonnet-4-6");
        await Assert.That(Attr(chat.Attributes, "gen_ai.usage.input_tokens")?.Int).IsEqualTo(1310L);
        await Assert.That(Attr(chat.Attributes, "gen_ai.usage.cache_read.input_tokens")?.Int).IsEqualTo(1000L);
        await Assert.That(Attr(chat.Attributes, "gen_ai.usage.cache_write.input_tokens")?.Int).IsEqualTo(300L);
        await Assert.That(Attr(chat.Attributes, "gen_ai.response.finish_reasons")).IsNull();
        await Assert.That(Attr(chat.Attributes, "gen_ai.system")).IsNull();
    }

    [Test]
    public async Task GenAi_ResponseWithoutParent_PairsWithOldestRequest()
    {
        TraceEvent[] events =
        [
            Ev(EventType.LlmRequest, "q1", 100, w => w.WriteString("model", "m1")),
            Ev(EventType.LlmRequest, "q2", 101, w => w.WriteString("model", "m2")),
            Ev(EventType.LlmResponse, "a1", 102),
        ];
        var (_, children) = Run(events, new SpanOptions());
        await Assert.That(Hex(children[0].SpanId)).IsEqualTo(Hex(TraceIds.SpanId("q1")));
        await Assert.That(children[1].Status).IsEqualTo(StatusCode.Unset);
        await Assert.That(Attr(children[1].Attributes, "gen_ai.request.model")?.String).IsEqualTo("m2");
    }

    [Test]
    public async Task GenAi_ToolAndError_ExceptionEventFormat()
    {
        var (_, children) = Run(UpstreamFixture(), new SpanOptions());
        Span bash = children[0], read = children[1];
        await Assert.That(bash.Name).IsEqualTo("gen_ai.tool.call/Bash");
        await Assert.That(Attr(bash.Attributes, "gen_ai.operation.name")?.String).IsEqualTo("execute_tool");
        await Assert.That(Attr(bash.Attributes, "gen_ai.tool.call.arguments")?.String).IsEqualTo("{\"command\":\"npm test\"}");
        await Assert.That(Attr(bash.Attributes, "gen_ai.tool.call.result")?.String).IsEqualTo("All tests passed");
        await Assert.That(Attr(bash.Attributes, "gen_ai.tool.call.id")?.String).IsEqualTo("c1");
        // Only registry names in the reserved namespace: no per-key gen_ai.tool.input.*, no gen_ai.tool.output.
        await Assert.That(bash.Attributes.Any(a => a.Key.StartsWith("gen_ai.tool.input", StringComparison.Ordinal) || a.Key == "gen_ai.tool.output")).IsFalse();
        await Assert.That(read.Name).IsEqualTo("gen_ai.tool.call/Read");
        await Assert.That(read.Status).IsEqualTo(StatusCode.Error);
        SpanEvent exception = read.Events.Single();
        await Assert.That(Attr(exception.Attributes, "exception.type")).IsNull(); // none recorded
        await Assert.That(Attr(exception.Attributes, "exception.message")?.String).IsEqualTo("File not found");
        await Assert.That(Attr(exception.Attributes, "exception.escaped")).IsNull(); // deprecated
    }

    [Test]
    public async Task Semconv141_OfficialNamesAndKinds()
    {
        var (root, children) = Run(UpstreamFixture(), new SpanOptions { Semconv = Semconv.V141 });
        await Assert.That(root.Name).IsEqualTo("invoke_agent claude-code");
        await Assert.That(Attr(root.Attributes, "gen_ai.operation.name")?.String).IsEqualTo("invoke_agent");
        await Assert.That(children[0].Name).IsEqualTo("execute_tool Bash");
        await Assert.That(children[0].Kind).IsEqualTo(SpanKind.Internal);
        await Assert.That(Attr(children[0].Attributes, "gen_ai.tool.call.arguments")?.String).IsEqualTo("{\"command\":\"npm test\"}");
        await Assert.That(children[1].Name).IsEqualTo("execute_tool Read");
        await Assert.That(Attr(children[1].Attributes, "error.type")?.String).IsEqualTo("_OTHER");
    }

    [Test]
    [Arguments(SpanFormat.Classic)]
    [Arguments(SpanFormat.GenAi)]
    public async Task NoContent_DropsPromptsResponsesInputsAndOutputs(SpanFormat format)
    {
        var (root, children) = Run(UpstreamFixture(), new SpanOptions { Format = format, NoContent = true });
        await Assert.That(root.Events).IsEmpty();
        foreach (Span s in children)
        {
            await Assert.That(s.Attributes.Any(a => a.Key.Contains("input") || a.Key.Contains("output") || a.Key.Contains("arguments"))).IsFalse();
        }
    }

    [Test]
    public async Task Subagent_RootParentedToSpawningToolSpan()
    {
        var meta = new SessionMeta { SessionId = "child", AgentName = "sub", ParentSessionId = "sess1", ParentEventId = "c1", Depth = 1 };
        byte[] trace = TraceIds.TraceId("sess1");
        var builder = new SessionSpanBuilder(new SpanOptions(), meta, trace, TraceIds.SpanId("c1"));
        var spans = new List<Span>();
        builder.Finish(spans.Add);
        await Assert.That(Hex(spans[0].ParentSpanId)).IsEqualTo(Hex(TraceIds.SpanId("c1")));
        await Assert.That(Hex(spans[0].TraceId)).IsEqualTo(Hex(trace));
    }
}
