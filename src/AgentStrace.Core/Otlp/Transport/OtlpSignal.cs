namespace AgentStrace.Otlp.Transport;

/// <summary>The OTLP signal a request carries; decides the URL path and the gRPC service.</summary>
public enum OtlpSignal
{
    Traces,
    Metrics,
}
