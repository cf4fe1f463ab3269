namespace AgentStrace.Spans;

/// <summary>Which span shape to build.</summary>
public enum SpanFormat
{
    /// <summary><c>--format otlp</c>: the upstream classic names and attributes.</summary>
    Classic,
    /// <summary><c>--format otlp-genai</c>: GenAI spans.</summary>
    GenAi,
}

/// <summary>GenAI semantic-convention flavour for <see cref="SpanFormat.GenAi"/>.</summary>
public enum Semconv
{
    /// <summary>The seed's span names (<c>gen_ai.client.operation</c>, <c>gen_ai.tool.call/&lt;name&gt;</c>) with v1.41's attributes and events.</summary>
    Default,
    /// <summary>Official v1.41 names and kinds: <c>invoke_agent</c>, <c>chat {model}</c>, <c>execute_tool {tool}</c>.</summary>
    V141,
    /// <summary>v1.41 names with the newest experimental attribute names (<c>OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental</c>).</summary>
    Latest,
}

public sealed record SpanOptions
{
    public SpanFormat Format { get; init; } = SpanFormat.GenAi;
    public Semconv Semconv { get; init; } = Semconv.Default;
    /// <summary>Drop prompts, responses, decisions and tool inputs/outputs.</summary>
    public bool NoContent { get; init; }
    public string ServiceName { get; init; } = "agent-trace";
    /// <summary>
    /// Most events kept on the root span (prompts, responses): the first half and the last half are kept, the rest
    /// counted in <c>droppedEventsCount</c>. The OTel SDK default (<c>OTEL_SPAN_EVENT_COUNT_LIMIT</c>) is 128; it also
    /// keeps memory flat for sessions of any length.
    /// </summary>
    public int MaxRootEvents { get; init; } = DefaultMaxRootEvents;
    public const int DefaultMaxRootEvents = 128;
    /// <summary>Extra resource attributes (OTEL_RESOURCE_ATTRIBUTES), after the built-in ones.</summary>
    public IReadOnlyList<SpanAttribute> ResourceAttributes { get; init; } = [];
}
