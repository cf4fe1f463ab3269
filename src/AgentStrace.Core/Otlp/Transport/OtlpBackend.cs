namespace AgentStrace.Otlp.Transport;

/// <summary>
/// A <c>--backend</c> preset (the backends in docs/production-tracing.md): where the backend listens, the path it wants after a base URL,
/// which auth header it requires and what it does not support.
/// </summary>
public sealed record OtlpBackend
{
    public required string Name { get; init; }
    /// <summary>Base URL used when no endpoint is given; null when the user must give one (or a helper variable).</summary>
    public string? DefaultEndpoint { get; init; }
    public string? DefaultGrpcEndpoint { get; init; }
    /// <summary>Path appended to a base URL for traces (no leading '/').</summary>
    public string TracesPath { get; init; } = "v1/traces";
    public string MetricsPath { get; init; } = "v1/metrics";
    /// <summary>The header carrying the API key, e.g. <c>x-honeycomb-team</c>; null = no auth needed.</summary>
    public string? AuthHeader { get; init; }
    /// <summary>The environment variable users keep that key in (filled into <see cref="AuthHeader"/> when the header is absent).</summary>
    public string? AuthEnvVar { get; init; }
    public bool SupportsGrpc { get; init; } = true;
    public bool SupportsMetrics { get; init; } = true;
    /// <summary>Headers the backend needs besides auth; a user-given header of the same name wins.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];

    public string PathFor(OtlpSignal signal) => signal == OtlpSignal.Metrics ? MetricsPath : TracesPath;
}
