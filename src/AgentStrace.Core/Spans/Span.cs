namespace AgentStrace.Spans;

/// <summary>OTLP <c>Span.SpanKind</c> values.</summary>
public enum SpanKind { Unspecified = 0, Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 }

/// <summary>OTLP <c>Status.StatusCode</c> values.</summary>
public enum StatusCode { Unset = 0, Ok = 1, Error = 2 }

/// <summary>An OTLP span event (<c>Span.Event</c>).</summary>
public sealed class SpanEvent(string name, ulong timeUnixNano)
{
    public string Name { get; } = name;
    public ulong TimeUnixNano { get; } = timeUnixNano;
    public List<SpanAttribute> Attributes { get; } = [];
}

/// <summary>
/// One finished span, built from store events by a span builder and handed to the protobuf or OTLP/JSON encoder.
/// Ids are raw bytes (16 for the trace, 8 for spans); encoders render them as bytes or lowercase hex.
/// </summary>
public sealed class Span
{
    public required byte[] TraceId { get; init; }
    public required byte[] SpanId { get; init; }
    /// <summary>Empty for a root span.</summary>
    public byte[] ParentSpanId { get; init; } = [];
    /// <summary>Settable so a backend hook can rename (Langfuse names generations <c>chat &lt;model&gt;</c>).</summary>
    public required string Name { get; set; }
    public SpanKind Kind { get; init; } = SpanKind.Internal;
    public ulong StartTimeUnixNano { get; init; }
    public ulong EndTimeUnixNano { get; init; }
    // Sized for a tool span's usual attributes, so the list does not grow twice per span.
    public List<SpanAttribute> Attributes { get; } = new(8);
    public List<SpanEvent> Events { get; } = [];
    /// <summary>Events left out by the span event limit (OTLP <c>dropped_events_count</c>).</summary>
    public uint DroppedEventsCount { get; set; }
    public StatusCode Status { get; set; }
    public string StatusMessage { get; set; } = "";
    /// <summary>W3C trace flags (<c>Span.flags</c>); 0 = not set.</summary>
    public uint Flags { get; init; }
}

/// <summary>The spans of one resource and scope: OTLP <c>ResourceSpans</c> with a single <c>ScopeSpans</c>.</summary>
public sealed class ResourceSpans
{
    public List<SpanAttribute> Resource { get; } = [];
    public string ScopeName { get; init; } = OtlpIdentity.ScopeName;
    public string ScopeVersion { get; init; } = "";
    /// <summary>The <c>ScopeSpans.schema_url</c>: the semantic-conventions version the spans follow, or empty.</summary>
    public string SchemaUrl { get; init; } = "";
    public List<Span> Spans { get; } = [];
}
