namespace AgentStrace.Spans;

// The session root span for every format.
public sealed partial class SessionSpanBuilder
{
    public Span BuildRoot()
    {
        string agent = _meta.AgentName;
        string name = !IsGenAi ? $"agent-session ({(agent.Length > 0 ? agent : "agent")})"
            : Official ? (agent.Length > 0 ? "invoke_agent " + agent : "invoke_agent")
            : $"gen_ai.agent.session ({(agent.Length > 0 ? agent : "agent")})";
        var root = new Span
        {
            TraceId = _traceId,
            SpanId = _rootSpanId,
            ParentSpanId = _rootParentSpanId,
            Name = name,
            Kind = SpanKind.Internal,
            StartTimeUnixNano = OtlpTime.Nanos(_meta.StartedAt),
            EndTimeUnixNano = OtlpTime.Nanos(RootEnd()),
            Flags = _flags,
        };
        // ERROR only when the session itself failed; recovered tool and model failures are counted, not propagated.
        var failure = SessionFailure();
        root.Status = failure is not null ? StatusCode.Error : Official ? StatusCode.Unset : StatusCode.Ok;
        if (failure is { } f) root.StatusMessage = PyText.Head(f.Message, 200);
        var a = root.Attributes;
        if (!IsGenAi)
        {
            a.Add(SpanAttribute.Of("agent.name", agent.Length > 0 ? agent : "unknown"));
            a.Add(SpanAttribute.Of("agent.command", _meta.Command));
            a.Add(SpanAttribute.Of("agent.session_id", _meta.SessionId));
            a.Add(SpanAttribute.Of("agent.tool_calls", _meta.ToolCalls));
            a.Add(SpanAttribute.Of("agent.llm_requests", _meta.LlmRequests));
            a.Add(SpanAttribute.Of("agent.errors", _meta.Errors));
            a.Add(SpanAttribute.Of("agent.depth", _meta.Depth));
            a.Add(SpanAttribute.Of("gen_ai.system", _agentSystem));
            a.Add(SpanAttribute.Of("gen_ai.operation.name", "agent.session"));
        }
        else
        {
            a.Add(SpanAttribute.Of("gen_ai.operation.name", "invoke_agent"));
            a.Add(SpanAttribute.Of("gen_ai.agent.name", agent.Length > 0 ? agent : "agent"));
            // The newest conventions removed agent.id and provider.name from in-process invoke_agent spans.
            if (_options.Semconv != Semconv.Latest)
            {
                a.Add(SpanAttribute.Of("gen_ai.agent.id", _meta.SessionId));
                a.Add(SpanAttribute.Of("gen_ai.provider.name", SessionProvider()));
            }
            a.Add(SpanAttribute.Of("agent.session_id", _meta.SessionId));
            a.Add(SpanAttribute.Of("agent.tool_calls", _meta.ToolCalls));
            a.Add(SpanAttribute.Of("agent.llm_requests", _meta.LlmRequests));
            a.Add(SpanAttribute.Of("agent.errors", _meta.Errors));
            AddGenAiRootExtras(a);
        }
        _rootEvents.CopyTo(root);
        return root;
    }

    private void AddGenAiRootExtras(List<SpanAttribute> a)
    {
        a.Add(SpanAttribute.Of("gen_ai.conversation.id", _meta.SessionId));
        if (_meta.Depth > 0) a.Add(SpanAttribute.Of("agent.depth", _meta.Depth));
        if (_inputTokens > 0) a.Add(SpanAttribute.Of("gen_ai.usage.input_tokens", _inputTokens));
        if (_outputTokens > 0) a.Add(SpanAttribute.Of("gen_ai.usage.output_tokens", _outputTokens));
        a.Add(SpanAttribute.Of("agent_strace.tool.errors", _toolErrors));
        if (_modelErrors > 0) a.Add(SpanAttribute.Of("agent_strace.model.errors", _modelErrors));
        if (SessionFailure() is { } failure) a.Add(SpanAttribute.Of("error.type", failure.Type));
    }
}
