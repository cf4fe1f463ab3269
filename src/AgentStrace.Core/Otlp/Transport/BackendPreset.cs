namespace AgentStrace.Otlp.Transport;

/// <summary>The <c>--backend</c> presets (<see cref="OtlpBackends.Of"/> gives each one's endpoints and auth).</summary>
public enum BackendPreset
{
    Otlp,
    Jaeger,
    Tempo,
    Aspire,
    Honeycomb,
    NewRelic,
    Splunk,
    Datadog,
    Langfuse,
}
