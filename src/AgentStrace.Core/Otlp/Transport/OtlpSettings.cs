namespace AgentStrace.Otlp.Transport;

/// <summary>
/// Resolved OTLP exporter configuration (flags over <c>OTEL_EXPORTER_OTLP_*</c> over backend presets over defaults),
/// produced by <see cref="OtlpSettingsResolver"/> and consumed by <see cref="OtlpTransport"/>.
/// </summary>
public sealed record OtlpSettings
{
    /// <summary>The URL every request is POSTed to: the full signal URL for HTTP, the Export method URL for gRPC.</summary>
    public required Uri Url { get; init; }
    public OtlpProtocol Protocol { get; init; } = OtlpProtocol.HttpProtobuf;
    public OtlpSignal Signal { get; init; } = OtlpSignal.Traces;
    /// <summary>Extra request headers (auth and backend metadata), in order, names unique case-insensitively.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public bool Gzip { get; init; }
    /// <summary>The overall time for one send including retries; null = no limit.</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A PEM file of trusted CA certificates for TLS (<c>OTEL_EXPORTER_OTLP_CERTIFICATE</c>).</summary>
    public string? CertificatePath { get; init; }
    public string ServiceName { get; init; } = OtlpSettingsResolver.DefaultServiceName;
    /// <summary>Extra resource attributes from <c>OTEL_RESOURCE_ATTRIBUTES</c> (without <c>service.name</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResourceAttributes { get; init; } = [];
    /// <summary>The backend preset that applied (<c>--backend</c> or recognised from the host), or null.</summary>
    public string? Backend { get; init; }
    /// <summary>Non-fatal notes for stderr (ignored variables, rewritten endpoints). Never contain header values.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The URL without user info or query string: safe to print.</summary>
    public string DisplayUrl => OtlpUrls.Display(Url);
}
