using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Spans;

/// <summary>
/// Turns one session's events, streamed in file order, into spans (upstream's --format otlp and --format otlp-genai shapes; the pipeline is in docs/architecture.md).
/// Child spans are emitted as soon as their closing event is seen; <see cref="Finish"/> emits the leftovers
/// (calls that never got a result) and then the root span. The only state that grows with the session is the
/// set of calls still waiting for their result and the root span's events.
/// </summary>
public sealed partial class SessionSpanBuilder
{
    private readonly SpanOptions _options;
    private SessionMeta _meta;
    private readonly byte[] _traceId;
    private readonly byte[] _rootSpanId;
    private readonly byte[] _rootParentSpanId;
    private readonly uint _flags;
    private readonly string _agentSystem;
    private readonly bool _children;
    private readonly OrderedDictionary<string, TraceEvent> _pendingTools = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, TraceEvent> _pendingLlm = new(StringComparer.Ordinal);
    private readonly BoundedEvents _rootEvents;
    // Tool names, span names and input keys repeat on every call: decoded once per session, not once per span.
    private readonly Utf8Interner _toolNames = new();
    private readonly Utf8Interner _toolSpanNames;
    private readonly Utf8Interner _inputKeys;
    private double _lastTimestamp;
    private long _inputTokens, _outputTokens;

    /// <param name="traceId">The trace this session belongs to (its own, or its root ancestor's for a sub-agent).</param>
    /// <param name="rootParentSpanId">For a sub-agent: the span id of the spawning tool call; empty otherwise.</param>
    /// <param name="children">False builds only the root span (first pass of a root-first file export).</param>
    public SessionSpanBuilder(SpanOptions options, SessionMeta meta, byte[] traceId, byte[]? rootParentSpanId = null, bool children = true, uint flags = 0)
    {
        _options = options;
        _meta = meta;
        _traceId = traceId;
        _rootSpanId = TraceIds.RootSpanId(meta.SessionId);
        _rootParentSpanId = rootParentSpanId ?? [];
        _children = children;
        _flags = flags;
        _agentSystem = AttributeMapper.SystemFromAgent(meta.AgentName);
        _rootEvents = new BoundedEvents(options.MaxRootEvents);
        _toolSpanNames = new Utf8Interner(!IsGenAi ? "tool/" : Official ? "execute_tool " : "gen_ai.tool.call/");
        _inputKeys = new Utf8Interner("tool.input.");
    }

    public byte[] RootSpanId => _rootSpanId;

    /// <summary>
    /// Whether the root span depends on every event (its end is the last event's time when meta.json has no end), or
    /// only on the events <see cref="ShapesRoot"/> accepts.
    /// </summary>
    public bool RootNeedsEveryEvent => _meta.EndedAt is null && _meta.TotalDurationMs <= 0;

    /// <summary>The event types that change the root span (its events and token totals) in any format.</summary>
    public static bool ShapesRoot(EventType type) =>
        type is EventType.UserPrompt or EventType.AssistantResponse or EventType.Decision or EventType.LlmRequest or EventType.LlmResponse
            or EventType.Error or EventType.SessionEnd;

    private bool IsGenAi => _options.Format == SpanFormat.GenAi;
    /// <summary>The registry's span names and kinds (and unset status on success) instead of the seed's.</summary>
    private bool Official => IsGenAi && _options.Semconv != Semconv.Default;

    public void Add(TraceEvent e, Action<Span> emit)
    {
        if (_options.NoContent) emit = ContentScrubber.Wrap(emit);
        _lastTimestamp = Math.Max(_lastTimestamp, e.Timestamp);
        if (e.Type == EventType.ToolCall)
        {
            // Every format holds a call until its result or error closes it.
            if (_children) _pendingTools[e.EventId] = e.WithOwnData();
            return;
        }
        if (e.Type == EventType.Error) NoteError(e);
        else if (e.Type == EventType.SessionEnd) NoteSessionEnd(e);
        if (IsGenAi) AddGenAi(e, emit); else AddClassic(e, emit);
    }

    /// <summary>Emits spans for calls that never completed, then the root span.</summary>
    public void Finish(Action<Span> emit)
    {
        if (_options.NoContent) emit = ContentScrubber.Wrap(emit);
        if (_children)
        {
            if (IsGenAi)
            {
                foreach (TraceEvent request in _pendingLlm.Values) emit(UnmatchedLlmSpan(request));
                foreach (TraceEvent call in _pendingTools.Values) emit(UnmatchedGenAiToolSpan(call));
            }
            else
            {
                foreach (TraceEvent call in _pendingTools.Values) emit(UnmatchedClassicToolSpan(call));
            }
            _pendingLlm.Clear();
            _pendingTools.Clear();
        }
        emit(BuildRoot());
    }

    /// <summary>The resource (service.name, session id, OTEL_RESOURCE_ATTRIBUTES) and scope for this session's spans.</summary>
    public ResourceSpans NewResource()
    {
        // One scope for traces and metrics, versioned with the tool; the conventions followed go in schemaUrl (the
        // classic format follows none).
        var r = new ResourceSpans
        {
            ScopeName = OtlpIdentity.ScopeName,
            ScopeVersion = OtlpIdentity.Version,
            SchemaUrl = IsGenAi ? OtlpIdentity.SchemaUrl : "",
        };
        List<SpanAttribute> defaults = [SpanAttribute.Of("agent.session_id", _meta.SessionId)];
        if (_meta.ParentSessionId.Length > 0) defaults.Add(SpanAttribute.Of("agent.parent_session_id", _meta.ParentSessionId));
        r.Resource.AddRange(OtlpIdentity.Resource(_options.ServiceName, defaults, _options.ResourceAttributes));
        return r;
    }

    /// <summary>The first non-empty <c>tool_name</c>: the closing event's own, else the call's (upstream's <c>or</c> chain).</summary>
    private static RawJsonValue ToolNameToken(RawJsonValue own, TraceEvent? call)
    {
        if (own.IsString && own.Raw.Length > 0) return own;
        if (call is not null && call.Data.TryGet("tool_name"u8, out RawJsonValue c) && c.IsString && c.Raw.Length > 0) return c;
        return default;
    }

    private string ToolName(RawJsonValue token, string fallback) => token.IsString ? _toolNames.Get(token) : fallback;

    private string ToolSpanName(RawJsonValue token, string fallback) =>
        token.IsString ? _toolSpanNames.Get(token) : _toolSpanNames.Prefix + fallback;

    private void AddInputs(Span span, TraceEvent call)
    {
        if (_options.NoContent) return;
        foreach (RawJsonObject.RawProperty p in call.Data.GetObject("arguments"u8).EnumerateProperties())
        {
            string key = p.NameEscaped ? _inputKeys.Prefix + p.NameString() : _inputKeys.Get(p.Name);
            span.Attributes.Add(new SpanAttribute(key, AttributeMapper.PyStrValue(p.Value, 200)));
        }
    }

    private TraceEvent? PopTool(string parentId) => Pop(_pendingTools, parentId);

    private static TraceEvent? Pop(OrderedDictionary<string, TraceEvent> pending, string key)
    {
        if (key.Length == 0 || !pending.Remove(key, out TraceEvent? call)) return null;
        return call;
    }

    /// <param name="idSource">The event whose id names the span (the call when there is one).</param>
    private Span NewChild(string name, SpanKind kind, TraceEvent idSource, double start, ulong end) => new()
    {
        TraceId = _traceId,
        SpanId = idSource.SpanIdHint ?? TraceIds.SpanId(idSource.EventId),
        ParentSpanId = _rootSpanId,
        Name = name,
        Kind = kind,
        StartTimeUnixNano = OtlpTime.Nanos(start),
        EndTimeUnixNano = end,
        Flags = _flags,
    };

    private double RootEnd()
    {
        if (_meta.EndedAt is double ended) return ended;
        if (_meta.TotalDurationMs > 0) return _meta.StartedAt + _meta.TotalDurationMs / 1000.0;
        return Math.Max(_meta.StartedAt, _lastTimestamp);
    }

    /// <summary>Replaces the metadata used for the root span (same session).</summary>
    public void UpdateMeta(SessionMeta meta)
    {
        if (!string.Equals(meta.SessionId, _meta.SessionId, StringComparison.Ordinal))
        {
            throw new ArgumentException("meta.json belongs to another session", nameof(meta));
        }
        _meta = meta;
    }
}
