using System.Text.Json;

namespace AgentStrace.Otlp.Json;

/// <summary>Pre-encoded OTLP/JSON property names (lowerCamelCase field names, opentelemetry-proto v1.11.0).</summary>
public static class JsonNames
{
    public static readonly JsonEncodedText ResourceSpans = JsonEncodedText.Encode("resourceSpans");
    public static readonly JsonEncodedText Resource = JsonEncodedText.Encode("resource");
    public static readonly JsonEncodedText ScopeSpans = JsonEncodedText.Encode("scopeSpans");
    public static readonly JsonEncodedText Scope = JsonEncodedText.Encode("scope");
    public static readonly JsonEncodedText Spans = JsonEncodedText.Encode("spans");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    public static readonly JsonEncodedText SchemaUrl = JsonEncodedText.Encode("schemaUrl");
    public static readonly JsonEncodedText Attributes = JsonEncodedText.Encode("attributes");

    public static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("traceId");
    public static readonly JsonEncodedText SpanId = JsonEncodedText.Encode("spanId");
    public static readonly JsonEncodedText ParentSpanId = JsonEncodedText.Encode("parentSpanId");
    public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    public static readonly JsonEncodedText StartTimeUnixNano = JsonEncodedText.Encode("startTimeUnixNano");
    public static readonly JsonEncodedText EndTimeUnixNano = JsonEncodedText.Encode("endTimeUnixNano");
    public static readonly JsonEncodedText TimeUnixNano = JsonEncodedText.Encode("timeUnixNano");
    public static readonly JsonEncodedText Events = JsonEncodedText.Encode("events");
    public static readonly JsonEncodedText DroppedEventsCount = JsonEncodedText.Encode("droppedEventsCount");
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    public static readonly JsonEncodedText Flags = JsonEncodedText.Encode("flags");

    public static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    public static readonly JsonEncodedText Values = JsonEncodedText.Encode("values");
    public static readonly JsonEncodedText StringValue = JsonEncodedText.Encode("stringValue");
    public static readonly JsonEncodedText BoolValue = JsonEncodedText.Encode("boolValue");
    public static readonly JsonEncodedText IntValue = JsonEncodedText.Encode("intValue");
    public static readonly JsonEncodedText DoubleValue = JsonEncodedText.Encode("doubleValue");
    public static readonly JsonEncodedText ArrayValue = JsonEncodedText.Encode("arrayValue");

    // Export*ServiceResponse.partial_success
    public static readonly JsonEncodedText PartialSuccess = JsonEncodedText.Encode("partialSuccess");
    public static readonly JsonEncodedText RejectedSpans = JsonEncodedText.Encode("rejectedSpans");
    public static readonly JsonEncodedText RejectedDataPoints = JsonEncodedText.Encode("rejectedDataPoints");
    public static readonly JsonEncodedText ErrorMessage = JsonEncodedText.Encode("errorMessage");
}
