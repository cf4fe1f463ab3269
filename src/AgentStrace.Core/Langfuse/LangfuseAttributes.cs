namespace AgentStrace.Langfuse;

/// <summary>
/// The span attributes Langfuse's OTLP ingestion maps (langfuse <c>packages/shared/src/server/otel/attributes.ts</c>,
/// Langfuse's OpenTelemetry attribute mapping). Trace-level keys are read from any span of the trace, observation keys per span.
/// </summary>
public static class LangfuseAttributes
{
    public const string TraceName = "langfuse.trace.name";
    public const string UserId = "user.id";
    public const string SessionId = "session.id";
    public const string TraceTags = "langfuse.trace.tags";
    public const string TraceMetadata = "langfuse.trace.metadata";
    public const string TraceInput = "langfuse.trace.input";
    public const string TraceOutput = "langfuse.trace.output";

    public const string ObservationType = "langfuse.observation.type";
    public const string ObservationMetadata = "langfuse.observation.metadata";
    public const string ObservationInput = "langfuse.observation.input";
    public const string ObservationOutput = "langfuse.observation.output";
    public const string ModelName = "langfuse.observation.model.name";
    public const string ModelParameters = "langfuse.observation.model.parameters";
    public const string UsageDetails = "langfuse.observation.usage_details";
    public const string CostDetails = "langfuse.observation.cost_details";
    public const string ObservationLevel = "langfuse.observation.level";
    public const string ObservationStatusMessage = "langfuse.observation.status_message";
    public const string Environment = "langfuse.environment";
    public const string Release = "langfuse.release";

    /// <summary>The tag every exported trace carries (upstream's trace-create <c>tags</c>).</summary>
    public const string Tag = "agent-strace";
}
