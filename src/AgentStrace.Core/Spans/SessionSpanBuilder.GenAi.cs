using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Spans;

// --format otlp-genai: the GenAI semantic conventions' attributes, events and error placement (v1.41, or the newest
// with --semconv latest) on every span. Span names, kinds and the OK status of successful spans are the seed's
// (gen_ai.client.operation, gen_ai.tool.call/<tool>) unless --semconv v1.41|latest asks for the registry's
// (chat <model>, execute_tool <tool>, invoke_agent).
public sealed partial class SessionSpanBuilder
{
    private const int ToolResultLimit = 4096;

    private void AddGenAi(TraceEvent e, Action<Span> emit)
    {
        RawJsonObject d = e.Data;
        switch (e.Type)
        {
            case EventType.LlmRequest:
                // Held in root-only mode too: the root's token totals count the request's input tokens.
                _pendingLlm[e.EventId] = e.WithOwnData();
                break;
            case EventType.LlmResponse:
                // Pair by parent_id, else the oldest pending request (upstream's FIFO fallback).
                TraceEvent? request = Pop(_pendingLlm, e.ParentId);
                if (request is null && _pendingLlm.Count > 0) request = Pop(_pendingLlm, _pendingLlm.GetAt(0).Key);
                LlmUsage usage = LlmUsage.From(request?.Data, d);
                _inputTokens += usage.InputTokens;
                _outputTokens += usage.OutputTokens;
                NoteProvider(First(d.GetString("model"u8), request?.Data.GetString("model"u8), ""));
                if (_children) emit(LlmSpan(request, e, usage));
                break;
            case EventType.ToolResult:
                if (_children) emit(GenAiToolSpan(e, PopTool(e.ParentId)));
                break;
            case EventType.Error:
                AddError(e, emit);
                break;
            // The deprecated gen_ai.user.message / gen_ai.prompt names are not used: our own namespace instead.
            case EventType.UserPrompt when !_options.NoContent:
                RootEvent("agent_strace.user_prompt", e).Attributes.Add(SpanAttribute.Of("agent_strace.prompt", PyText.Head(d.GetString("prompt"u8), 1000)));
                break;
            case EventType.AssistantResponse when !_options.NoContent:
                RootEvent("agent_strace.assistant_response", e).Attributes.Add(SpanAttribute.Of("agent_strace.text", PyText.Head(d.GetString("text"u8), 1000)));
                break;
            case EventType.Decision when !_options.NoContent:
                SpanEvent decision = RootEvent("agent_strace.decision", e);
                foreach (var (key, value) in d.Properties()) decision.Attributes.Add(new SpanAttribute("agent_strace.decision." + key, AttributeMapper.FromJson(value)));
                break;
        }
    }

    // An error marks the call it answers (by parent id, or by JSON-RPC request id for MCP): the tool span or the model
    // span. An error that answers nothing becomes an exception event on the root span.
    private void AddError(TraceEvent e, Action<Span> emit)
    {
        if (e.ParentId.Length > 0 && Pop(_pendingLlm, e.ParentId) is { } request)
        {
            NoteProvider(request.Data.GetString("model"u8));
            if (_children) emit(LlmErrorSpan(request, e));
            return;
        }
        if (!_children) return;
        TraceEvent? call = PopTool(e.ParentId) ?? (e.ParentId.Length == 0 ? PopToolByRequestId(e) : null);
        if (call is not null || e.Data.GetString("tool_name"u8).Length > 0)
        {
            emit(GenAiErrorSpan(e, call));
            return;
        }
        string message = ErrorMessage(e.Data);
        _rootEvents.Add(ExceptionEvent(e, message, RecordedErrorType(e.Data)));
    }

    private Span LlmErrorSpan(TraceEvent request, TraceEvent error)
    {
        string model = request.Data.GetString("model"u8);
        double start = request.Timestamp;
        double end = Math.Max(error.Timestamp, start + 0.001);
        Span span = NewChild(ChatSpanName(model), SpanKind.Client, request, start, OtlpTime.Nanos(end));
        string message = ErrorMessage(error.Data);
        span.Status = StatusCode.Error;
        span.StatusMessage = PyText.Head(message, 200);
        var a = span.Attributes;
        a.Add(SpanAttribute.Of("gen_ai.operation.name", "chat"));
        a.Add(SpanAttribute.Of("gen_ai.provider.name", ProviderOrUnknown(model)));
        if (model.Length > 0) a.Add(SpanAttribute.Of("gen_ai.request.model", model));
        if (TruthyInt(request.Data, "max_tokens"u8) is long maxTokens) a.Add(SpanAttribute.Of("gen_ai.request.max_tokens", maxTokens));
        a.Add(SpanAttribute.Of("gen_ai.conversation.id", _meta.SessionId));
        a.Add(SpanAttribute.Of("error.type", ErrorType(error.Data)));
        span.Events.Add(ExceptionEvent(error, message, RecordedErrorType(error.Data)));
        return span;
    }

    private Span LlmSpan(TraceEvent? request, TraceEvent response, LlmUsage usage)
    {
        double start = request?.Timestamp ?? response.Timestamp;
        double end = Math.Max(response.Timestamp, start + 0.001);
        string responseModel = response.Data.GetString("model"u8);
        string model = First(responseModel, request?.Data.GetString("model"u8), "");
        Span span = NewChild(ChatSpanName(model), SpanKind.Client, request ?? response, start, OtlpTime.Nanos(end));
        // Official conventions leave a successful span's status unset; the seed's shape marks it OK.
        span.Status = Official ? StatusCode.Unset : StatusCode.Ok;
        var a = span.Attributes;
        a.Add(SpanAttribute.Of("gen_ai.operation.name", "chat"));
        a.Add(SpanAttribute.Of("gen_ai.provider.name", ProviderOrUnknown(model)));
        if (model.Length > 0) a.Add(SpanAttribute.Of("gen_ai.request.model", model));
        if (request is not null && TruthyInt(request.Data, "max_tokens"u8) is long maxTokens) a.Add(SpanAttribute.Of("gen_ai.request.max_tokens", maxTokens));
        if (usage.HasInput && usage.InputTokens != 0) a.Add(SpanAttribute.Of("gen_ai.usage.input_tokens", usage.InputTokens));
        if (usage.HasOutput && usage.OutputTokens != 0) a.Add(SpanAttribute.Of("gen_ai.usage.output_tokens", usage.OutputTokens));
        if (FinishReason(response.Data) is { Length: > 0 } reason)
        {
            a.Add(SpanAttribute.Of("gen_ai.response.finish_reasons", new[] { reason }));
        }
        if (responseModel.Length > 0) a.Add(SpanAttribute.Of("gen_ai.response.model", responseModel));
        if (usage.CacheReadTokens > 0) a.Add(SpanAttribute.Of("gen_ai.usage.cache_read.input_tokens", usage.CacheReadTokens));
        if (usage.CacheCreationTokens > 0)
        {
            string key = _options.Semconv == Semconv.Latest ? "gen_ai.usage.cache_write.input_tokens" : "gen_ai.usage.cache_creation.input_tokens";
            a.Add(SpanAttribute.Of(key, usage.CacheCreationTokens));
        }
        a.Add(SpanAttribute.Of("gen_ai.conversation.id", _meta.SessionId));
        return span;
    }

    private static readonly byte[][] s_resultKeys = ["tool_name"u8.ToArray(), "result"u8.ToArray(), "content_preview"u8.ToArray()];
    private readonly RawJsonValue[] _resultFields = new RawJsonValue[3];

    // A tool's span from its result (and its call, when seen): named after the tool, from the call's start to the
    // result's end. The result's fields are left in _resultFields.
    private Span ToolSpan(TraceEvent result, TraceEvent? call, SpanKind kind, out string tool, out string callId)
    {
        Span<RawJsonValue> r = _resultFields;
        r.Clear();
        result.Data.GetMany(s_resultKeys, r);
        RawJsonValue toolToken = ToolNameToken(r[0], call);
        tool = ToolName(toolToken, "tool");
        double start = call?.Timestamp ?? result.Timestamp;
        callId = call?.EventId ?? result.EventId;
        return NewChild(ToolSpanName(toolToken, "tool"), kind, call ?? result, start, OtlpTime.End(start, result.DurationMs));
    }

    private Span GenAiToolSpan(TraceEvent result, TraceEvent? call)
    {
        Span span = ToolSpan(result, call, Official ? SpanKind.Internal : SpanKind.Client, out string tool, out string idSource);
        ReadOnlySpan<RawJsonValue> r = _resultFields;
        span.Status = Official ? StatusCode.Unset : StatusCode.Ok;
        AddToolIdentity(span, tool, call, idSource);
        RawJsonValue output = r[1].IsTruthy ? r[1] : r[2];
        bool hasOutput = !_options.NoContent && output.IsTruthy;
        if (call is not null && !_options.NoContent && call.Data.TryGet("arguments"u8, out RawJsonValue args))
        {
            span.Attributes.Add(SpanAttribute.Of("gen_ai.tool.call.arguments", args.ToPythonJson(PyJsonStyle.Compact)));
        }
        if (hasOutput) span.Attributes.Add(new SpanAttribute("gen_ai.tool.call.result", AttributeMapper.PyStrValue(output, ToolResultLimit)));
        return span;
    }

    private Span GenAiErrorSpan(TraceEvent error, TraceEvent? call)
    {
        RawJsonValue toolToken = ToolNameToken(error.Data.Get("tool_name"u8), call);
        string tool = ToolName(toolToken, "error");
        string message = ErrorMessage(error.Data);
        double start = call?.Timestamp ?? error.Timestamp;
        string idSource = call?.EventId ?? error.EventId;
        Span span = NewChild(ToolSpanName(toolToken, "error"), Official ? SpanKind.Internal : SpanKind.Client, call ?? error, start, OtlpTime.End(start, error.DurationMs));
        span.Status = StatusCode.Error;
        span.StatusMessage = PyText.Head(message, 200);
        AddToolIdentity(span, tool, call, idSource);
        span.Attributes.Add(SpanAttribute.Of("error.type", ErrorType(error.Data)));
        span.Events.Add(ExceptionEvent(error, message, RecordedErrorType(error.Data)));
        return span;
    }

    private Span UnmatchedLlmSpan(TraceEvent request)
    {
        string model = request.Data.GetString("model"u8);
        Span span = NewChild(ChatSpanName(model), SpanKind.Client, request, request.Timestamp, OtlpTime.End(request.Timestamp, null));
        span.Attributes.Add(SpanAttribute.Of("gen_ai.operation.name", "chat"));
        span.Attributes.Add(SpanAttribute.Of("gen_ai.provider.name", ProviderOrUnknown(model)));
        if (model.Length > 0) span.Attributes.Add(SpanAttribute.Of("gen_ai.request.model", model));
        return span;
    }

    private Span UnmatchedGenAiToolSpan(TraceEvent call)
    {
        RawJsonValue toolToken = ToolNameToken(call.Data.Get("tool_name"u8), null);
        string tool = ToolName(toolToken, "tool");
        Span span = NewChild(ToolSpanName(toolToken, "tool"), Official ? SpanKind.Internal : SpanKind.Client, call, call.Timestamp, OtlpTime.End(call.Timestamp, null));
        AddToolIdentity(span, tool, call, call.EventId);
        return span;
    }

    private void AddToolIdentity(Span span, string tool, TraceEvent? call, string eventId)
    {
        var a = span.Attributes;
        a.Add(SpanAttribute.Of("gen_ai.operation.name", "execute_tool"));
        a.Add(SpanAttribute.Of("gen_ai.tool.name", tool));
        a.Add(SpanAttribute.Of("gen_ai.tool.call.id", ToolUseId(call) ?? eventId));
        a.Add(SpanAttribute.Of("gen_ai.tool.type", "function"));
    }

    /// <summary>The seed's <c>gen_ai.client.operation</c>, or the registry's <c>chat {model}</c>.</summary>
    private string ChatSpanName(string model) => !Official ? "gen_ai.client.operation" : model.Length > 0 ? "chat " + model : "chat";

    /// <summary>The agent's own call id (Claude's tool_use_id, MCP's JSON-RPC id) when recorded.</summary>
    private static string? ToolUseId(TraceEvent? call)
    {
        if (call is null) return null;
        if (call.Data.GetString("tool_use_id"u8) is { Length: > 0 } id) return id;
        return call.Data.TryGet("request_id"u8, out RawJsonValue rid) && !rid.IsNull ? rid.ToPythonStr() : null;
    }
}
