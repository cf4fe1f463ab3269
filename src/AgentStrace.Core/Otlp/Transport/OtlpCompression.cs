namespace AgentStrace.Otlp.Transport;

/// <summary>How request bodies are compressed: <c>none</c> (default) or <c>gzip</c>.</summary>
public enum OtlpCompression
{
    None,
    Gzip,
}
