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

    public LangfuseSpanEnricher(LangfuseTraceContext context, SessionMeta meta, bool noContent, Analysis.Pricing.PricingTable? pricing = null)
    {
        _pricing = pricing;
        _context = context;
        _meta = meta;
        _noContent = noContent;
        _rootSpanId = TraceIds.RootSpanId(meta.SessionId);
    }

    public void Observe(TraceEvent e)
    {
        _current = e;
        switch (e.Type)
        {
            case EventType.ToolCall or EventType.LlmRequest:
                _opened[Key(e.SpanIdHint ?? TraceIds.SpanId(e.EventId))] = e;
                break;
            case EventType.UserPrompt when _firstPrompt is null:
                _firstPrompt = e.Data.GetString("prompt"u8);
                break;
            case EventType.AssistantResponse:
                _lastAnswer = e.Data.GetString("text"u8);
                break;
        }
    }

    /// <summary>Called before the builder's <c>Finish</c>: the spans it emits then belong to no current event.</summary>
    public void EndSession() => _current = null;

    public void Enrich(Span span)
    {
        if (span.SpanId.AsSpan().SequenceEqual(_rootSpanId)) EnrichRoot(span);
        else EnrichChild(span);
        AddTraceAttributes(span.Attributes);
    }

    private void EnrichChild(Span span)
    {
        _opened.Remove(Key(span.SpanId), out TraceEvent? opener);
        TraceEvent? closer = _current is { } c && c.Type is EventType.LlmResponse or EventType.ToolResult or EventType.Error ? c : null;
        bool generation = opener?.Type == EventType.LlmRequest || (opener is null && closer?.Type == EventType.LlmResponse);
        if (generation) LangfuseObservation.Generation(span, opener, closer?.Type == EventType.LlmResponse ? closer : null, _noContent, _pricing);
        else LangfuseObservation.Tool(span, opener, closer, _noContent);
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

    // Langfuse's SDKs propagate session, user and tags to every observation; its ingestion merges them into the trace.
    private void AddTraceAttributes(List<SpanAttribute> a)
    {
        if (LangfuseTraceContext.IsUsableSessionId(_context.SessionId)) a.Add(SpanAttribute.Of(LangfuseAttributes.SessionId, _context.SessionId));
        if (_context.UserId.Length > 0) a.Add(SpanAttribute.Of(LangfuseAttributes.UserId, _context.UserId));
        a.Add(SpanAttribute.Of(LangfuseAttributes.TraceTags, new[] { LangfuseAttributes.Tag }));
    }

    /// <summary>Upstream's trace name: <c>agent-session (&lt;agent_name or "agent"&gt;)</c>.</summary>
    public static string TraceName(SessionMeta meta) => $"agent-session ({(meta.AgentName.Length > 0 ? meta.AgentName : "agent")})";

    private static string Key(byte[] spanId) => Convert.ToHexStringLower(spanId);
}
