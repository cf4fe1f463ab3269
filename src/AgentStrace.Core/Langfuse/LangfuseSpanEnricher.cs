using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Spans;

namespace AgentStrace.Langfuse;

/// <summary>
/// Adds the attributes Langfuse maps to the otlp-genai spans of one session, without changing the span builder:
/// it sees each event just before the builder does (<see cref="Observe"/>) and each span the builder emits
/// (<see cref="Enrich"/>). A child span's id is the span id of its call/request event, so the event that opened it
/// is found by span id; the event that closed it is the one being added when the span is emitted.
/// </summary>
/// <remarks>State is bounded like the builder's: calls still waiting for their result, the first prompt and the last
/// answer.</remarks>
public sealed class LangfuseSpanEnricher : Export.ISpanEnricher
{
    /// <summary>Longest input/output text sent per observation; longer text is cut with a marker.</summary>
    public const int MaxContentChars = 64 * 1024;

    private readonly LangfuseTraceContext _context;
    private readonly SessionMeta _meta;
    private readonly bool _noContent;
    private readonly byte[] _rootSpanId;
    private readonly Dictionary<string, TraceEvent> _opened = new(StringComparer.Ordinal);
    private TraceEvent? _current;
    private string? _firstPrompt;
    private string? _lastAnswer;

    private readonly Analysis.Pricing.PricingTable? _pricing;
    private readonly byte[] _traceId;

    /// <param name="traceId">The trace the session's spans go to (for the event observations this adds).</param>
    public LangfuseSpanEnricher(LangfuseTraceContext context, SessionMeta meta, bool noContent, Analysis.Pricing.PricingTable? pricing = null,
        byte[]? traceId = null)
    {
        _pricing = pricing;
        _traceId = traceId ?? TraceIds.TraceId(context.SessionId);
        _context = context;
        _meta = meta;
        _noContent = noContent;
        _rootSpanId = TraceIds.RootSpanId(meta.SessionId);
    }

    /// <summary>
    /// Sees an event before the builder does. Returns an extra span for prompts, answers and decisions: Langfuse ignores
    /// the root span's events once the root has an input, so each becomes an <c>event</c> observation under the root.
    /// </summary>
    public Span? Observe(TraceEvent e)
    {
        _current = e;
        switch (e.Type)
        {
            case EventType.ToolCall or EventType.LlmRequest:
                _opened[Key(e.SpanIdHint ?? TraceIds.SpanId(e.EventId))] = e;
                break;
            case EventType.UserPrompt:
                _firstPrompt ??= e.Data.GetString("prompt"u8);
                return EventObservation(e, "user_prompt", input: e.Data.GetString("prompt"u8), output: null);
            case EventType.AssistantResponse:
                _lastAnswer = e.Data.GetString("text"u8);
                return EventObservation(e, "assistant_response", input: null, output: e.Data.GetString("text"u8));
            case EventType.Decision:
                return EventObservation(e, "decision", input: System.Text.Encoding.UTF8.GetString(e.Data.Raw.Span), output: null);
        }
        return null;
    }

    private Span? EventObservation(TraceEvent e, string name, string? input, string? output)
    {
        if (_noContent) return null;
        var span = new Span
        {
            TraceId = _traceId,
            SpanId = e.SpanIdHint ?? TraceIds.SpanId(e.EventId),
            ParentSpanId = _rootSpanId,
            Name = name,
            Kind = SpanKind.Internal,
            StartTimeUnixNano = OtlpTime.Nanos(e.Timestamp),
            EndTimeUnixNano = OtlpTime.Nanos(e.Timestamp),
        };
        var a = span.Attributes;
        a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationType, "event"));
        if (LangfuseObservation.Cut(input) is { Length: > 0 } i) a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationInput, i));
        if (LangfuseObservation.Cut(output) is { Length: > 0 } o) a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationOutput, o));
        AddCommon(span);
        return span;
    }

    /// <summary>Called before the builder's <c>Finish</c>: the spans it emits then belong to no current event.</summary>
    public void EndSession() => _current = null;

    public void Enrich(Span span)
    {
        bool root = span.SpanId.AsSpan().SequenceEqual(_rootSpanId);
        if (root) EnrichRoot(span);
        else EnrichChild(span);
        if (span.Status == StatusCode.Error)
        {
            span.Attributes.Add(SpanAttribute.Of(LangfuseAttributes.ObservationLevel, "ERROR"));
            if (span.StatusMessage.Length > 0) span.Attributes.Add(SpanAttribute.Of(LangfuseAttributes.ObservationStatusMessage, span.StatusMessage));
        }
        AddCommon(span);
        // Trace-level keys on the trace's root span only, so a sub-agent's spans never overwrite the trace's metadata.
        if (root && _context.IsTraceRoot) AddTraceAttributes(span.Attributes);
    }

    private void EnrichChild(Span span)
    {
        _opened.Remove(Key(span.SpanId), out TraceEvent? opener);
        TraceEvent? closer = _current is { } c && c.Type is EventType.LlmResponse or EventType.ToolResult or EventType.Error ? c : null;
        bool generation = opener?.Type == EventType.LlmRequest || (opener is null && closer?.Type == EventType.LlmResponse);
        if (generation)
        {
            LangfuseObservation.Generation(span, opener, closer?.Type == EventType.LlmResponse ? closer : null, _noContent, _pricing);
            // The seed's span name says nothing in Langfuse's list; name generations as the official conventions do.
            string model = closer?.Data.GetString("model"u8) is { Length: > 0 } m ? m : opener?.Data.GetString("model"u8) ?? "";
            if (!span.Name.StartsWith("chat", StringComparison.Ordinal)) span.Name = model.Length > 0 ? "chat " + model : "chat";
        }
        else LangfuseObservation.Tool(span, opener, closer, _noContent);
        if (closer is null && _current is null)
        {
            // Built at the end of the session from a call that never got a result.
            span.Attributes.Add(SpanAttribute.Of(LangfuseAttributes.ObservationLevel, "WARNING"));
            span.Attributes.Add(SpanAttribute.Of(LangfuseAttributes.ObservationStatusMessage, "no result recorded"));
            // An explicit zero cost stops Langfuse from tokenizing the prompt and billing an estimate for an unanswered call.
            if (generation) span.Attributes.Add(SpanAttribute.Of(LangfuseAttributes.CostDetails, "{\"total\":0}"));
        }
    }

    // Every observation: environment and release, and the Langfuse session as the conversation (Langfuse falls back to
    // gen_ai.conversation.id for the session of spans without session.id; a sub-agent's own id would split the session).
    private void AddCommon(Span span)
    {
        var a = span.Attributes;
        if (_context.Environment.Length > 0) a.Add(SpanAttribute.Of(LangfuseAttributes.Environment, _context.Environment));
        if (_context.Release.Length > 0) a.Add(SpanAttribute.Of(LangfuseAttributes.Release, _context.Release));
        int i = a.FindIndex(x => x.Key == "gen_ai.conversation.id");
        if (i >= 0) a[i] = SpanAttribute.Of("gen_ai.conversation.id", _context.SessionId);
    }

    private void EnrichRoot(Span span)
    {
        var a = span.Attributes;
        a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationType, "agent"));
        // The builder puts the session's token totals on the root; Langfuse would count them again on top of the
        // generations. An explicit empty usage keeps the root out of the trace's usage and cost.
        a.Add(SpanAttribute.Of(LangfuseAttributes.UsageDetails, "{}"));
        a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationMetadata, LangfuseJson.SessionMetadata(_meta)));
        string? input = _noContent ? null : LangfuseObservation.Cut(_firstPrompt);
        string? output = _noContent ? null : LangfuseObservation.Cut(_lastAnswer);
        if (input is { Length: > 0 }) a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationInput, input));
        if (output is { Length: > 0 }) a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationOutput, output));
        if (!_context.IsTraceRoot) return;
        a.Add(SpanAttribute.Of(LangfuseAttributes.TraceName, TraceName(_meta)));
        a.Add(SpanAttribute.Of(LangfuseAttributes.TraceMetadata, LangfuseJson.SessionMetadata(_meta)));
        if (input is { Length: > 0 }) a.Add(SpanAttribute.Of(LangfuseAttributes.TraceInput, input));
        if (output is { Length: > 0 }) a.Add(SpanAttribute.Of(LangfuseAttributes.TraceOutput, output));
    }

    // Session, user and tags describe the trace. Session ids go as they are: Langfuse's OTLP ingestion takes any string.
    private void AddTraceAttributes(List<SpanAttribute> a)
    {
        a.Add(SpanAttribute.Of(LangfuseAttributes.SessionId, _context.SessionId));
        if (_context.UserId.Length > 0) a.Add(SpanAttribute.Of(LangfuseAttributes.UserId, _context.UserId));
        a.Add(SpanAttribute.Of(LangfuseAttributes.TraceTags, new[] { LangfuseAttributes.Tag }));
    }

    /// <summary>Upstream's trace name: <c>agent-session (&lt;agent_name or "agent"&gt;)</c>.</summary>
    public static string TraceName(SessionMeta meta) => $"agent-session ({(meta.AgentName.Length > 0 ? meta.AgentName : "agent")})";

    private static string Key(byte[] spanId) => Convert.ToHexStringLower(spanId);
}
