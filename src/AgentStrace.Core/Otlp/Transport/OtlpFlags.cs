namespace AgentStrace.Otlp.Transport;

/// <summary>The command-line inputs of OTLP delivery, as given (null = not given). Flags win over the environment.</summary>
public sealed record OtlpFlags
{
    /// <summary><c>--endpoint</c>: a base URL (<c>/v1/traces</c> is appended) or a full signal URL (used as is).</summary>
    public string? Endpoint { get; init; }
    /// <summary><c>--protocol</c>: <c>http/protobuf</c>, <c>http/json</c> or <c>grpc</c>.</summary>
    public OtlpProtocol? Protocol { get; init; }
    /// <summary>Repeatable <c>--header</c>: <c>"Name: value"</c> or <c>name=value</c>.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];
    /// <summary><c>--compression</c>: <c>gzip</c> or <c>none</c>.</summary>
    public OtlpCompression? Compression { get; init; }
    /// <summary><c>--timeout</c> in seconds; 0 = no limit.</summary>
    public double? TimeoutSeconds { get; init; }
    /// <summary><c>--backend</c>: a preset (<see cref="OtlpBackends.Presets"/>).</summary>
    public BackendPreset? Backend { get; init; }
    /// <summary><c>--service-name</c>.</summary>
    public string? ServiceName { get; init; }
    public string? LangfusePublicKey { get; init; }
    public string? LangfuseSecretKey { get; init; }
    public string? LangfuseHost { get; init; }
}
