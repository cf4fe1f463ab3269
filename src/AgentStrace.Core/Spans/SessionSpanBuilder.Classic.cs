using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Spans;

// --format otlp: upstream's classic names and attributes.
public sealed partial class SessionSpanBuilder
{
    private void AddClassic(TraceEvent e, Action<Span> emit)
    {
        RawJsonObject d = e.Data;
        switch (e.Type)
        {
            case EventType.ToolResult:
                if (_children) emit(ClassicToolSpan(e, PopTool(e.ParentId)));
                break;
            case EventType.Error:
                if (_children) emit(ClassicErrorSpan(e, PopTool(e.ParentId)));
                break;
            case EventType.UserPrompt when !_options.NoContent:
                RootEvent("user_prompt", e).Attributes.Add(SpanAttribute.Of("prompt", d.GetString("prompt"u8)));
                break;
            case EventType.AssistantResponse when !_options.NoContent:
                RootEvent("assistant_response", e).Attributes.Add(SpanAttribute.Of("text", PyText.Ellipsize(d.GetString("text"u8), 500)));
                break;
            case EventType.Decision when !_options.NoContent:
                SpanEvent decision = RootEvent("decision", e);
                foreach (var (key, value) in d.Properties()) decision.Attributes.Add(new SpanAttribute(key, AttributeMapper.FromJson(value)));
                break;
            case EventType.LlmRequest:
                SpanEvent request = RootEvent("gen_ai.system.message", e);
                request.Attributes.Add(SpanAttribute.Of("gen_ai.operation.name", "chat"));
                if (d.GetString("model"u8) is { Length: > 0 } model) request.Attributes.Add(SpanAttribute.Of("gen_ai.request.model", model));
                if (TruthyInt(d, "input_tokens"u8) is long input) request.Attributes.Add(SpanAttribute.Of("gen_ai.usage.input_tokens", input));
                break;
            case EventType.LlmResponse:
                SpanEvent response = RootEvent("gen_ai.assistant.message", e);
                response.Attributes.Add(SpanAttribute.Of("gen_ai.operation.name", "chat"));
                if (TruthyInt(d, "output_tokens"u8) is long output) response.Attributes.Add(SpanAttribute.Of("gen_ai.usage.output_tokens", output));
                if (FinishReason(d) is { Length: > 0 } reason) response.Attributes.Add(SpanAttribute.Of("gen_ai.response.finish_reasons", reason));
                break;
        }
    }

    private Span ClassicToolSpan(TraceEvent result, TraceEvent? call)
    {
        Span span = ToolSpan(result, call, SpanKind.Client, out string tool, out string callId);
        ReadOnlySpan<RawJsonValue> r = _resultFields;
        span.Status = StatusCode.Ok;
        span.Attributes.Add(SpanAttribute.Of("gen_ai.tool.name", tool));
        span.Attributes.Add(SpanAttribute.Of("gen_ai.operation.name", "tool.call"));
        span.Attributes.Add(SpanAttribute.Of("gen_ai.tool.call.id", callId));
        if (call is not null) AddInputs(span, call);
        if (!_options.NoContent && r[1].IsTruthy) span.Attributes.Add(new SpanAttribute("tool.output", AttributeMapper.PyStrValue(r[1], 500)));
        return span;
    }

    private Span ClassicErrorSpan(TraceEvent error, TraceEvent? call)
    {
        string name = ToolName(ToolNameToken(error.Data.Get("tool_name"u8), null), "error");
        string message = ErrorMessage(error.Data);
        double start = call?.Timestamp ?? error.Timestamp;
        Span span = NewChild(name, SpanKind.Internal, call ?? error, start, OtlpTime.End(start, error.DurationMs));
        span.Status = StatusCode.Error;
        span.StatusMessage = PyText.Head(message, 200);
        span.Attributes.Add(SpanAttribute.Of("tool.name", name));
        if (message.Length > 0) span.Attributes.Add(SpanAttribute.Of("error.message", PyText.Head(message, 500)));
        if (call is not null) AddInputs(span, call);
        var exception = new SpanEvent("exception", OtlpTime.Nanos(error.Timestamp));
        exception.Attributes.Add(SpanAttribute.Of("exception.message", PyText.Head(message, 500)));
        span.Events.Add(exception);
        return span;
    }

    private Span UnmatchedClassicToolSpan(TraceEvent call)
    {
        string name = ToolName(ToolNameToken(call.Data.Get("tool_name"u8), null), "tool");
        Span span = NewChild(name, SpanKind.Internal, call, call.Timestamp, OtlpTime.End(call.Timestamp, null));
        span.Attributes.Add(SpanAttribute.Of("tool.name", name));
        AddInputs(span, call);
        return span;
    }

    private SpanEvent RootEvent(string name, TraceEvent e)
    {
        var ev = new SpanEvent(name, OtlpTime.Nanos(e.Timestamp));
        _rootEvents.Add(ev);
        return ev;
    }

    private static long? TruthyInt(RawJsonObject d, ReadOnlySpan<byte> key) => d.GetInt64(key) is long v && v != 0 ? v : null;

    private static string FinishReason(RawJsonObject d) => First(d.GetString("stop_reason"u8), d.GetString("finish_reason"u8), "");

    private static string ErrorMessage(RawJsonObject d) => First(d.GetString("error"u8), d.GetString("message"u8), "");

    private static string First(string? a, string? b, string fallback) =>
        !string.IsNullOrEmpty(a) ? a : !string.IsNullOrEmpty(b) ? b : fallback;
}
