namespace AgentStrace.Export;

/// <summary>Everything <c>export</c> was asked to do, as parsed from the command line.</summary>
public sealed record ExportRequest
{
    public string? SessionId { get; init; }
    public bool All { get; init; }
    public string? Since { get; init; }
    public string? Until { get; init; }
    public ExportFormat Format { get; init; } = ExportFormat.Json;
    /// <summary>Whether <c>--format</c> was given (without it, an endpoint implies otlp-genai).</summary>
    public bool FormatGiven { get; init; }
    public string? Output { get; init; }

    /// <summary>--follow-symlinks: an --output that is a symbolic link writes to its target instead of being refused.</summary>
    public bool FollowSymlinks { get; init; }

    // OTLP delivery
    public string? Endpoint { get; init; }
    public Otlp.Transport.OtlpProtocol? Protocol { get; init; }
    public Otlp.Transport.OtlpCompression? Compression { get; init; }
    public IReadOnlyList<string> Headers { get; init; } = [];
    public string? ServiceName { get; init; }
    public Otlp.Transport.BackendPreset? Backend { get; init; }
    /// <summary><c>--semconv</c>; null: from <c>OTEL_SEMCONV_STABILITY_OPT_IN</c>.</summary>
    public Spans.Semconv? Semconv { get; init; }
    public bool NoContent { get; init; }
    public double? TimeoutSeconds { get; init; }
    public int? BatchSpans { get; init; }
    public bool DryRun { get; init; }

    // Metrics and Langfuse
    public bool Metrics { get; init; }
    public bool Scores { get; init; }
    public string? OtlpEndpoint { get; init; }
    public string? OtlpHeaders { get; init; }
    public string? LangfusePublicKey { get; init; }
    public string? LangfuseSecretKey { get; init; }
    public string? LangfuseHost { get; init; }
    /// <summary>Langfuse environment (<c>--environment</c>; default LANGFUSE_TRACING_ENVIRONMENT).</summary>
    public string? Environment { get; init; }

    /// <summary>The OTLP delivery flags of this request, mapped once (metrics and Langfuse adjust a few with <c>with</c>).</summary>
    public Otlp.Transport.OtlpFlags ToOtlpFlags() => new()
    {
        Endpoint = Endpoint, Protocol = Protocol, Headers = Headers, Compression = Compression,
        TimeoutSeconds = TimeoutSeconds, Backend = Backend, ServiceName = ServiceName,
        LangfusePublicKey = LangfusePublicKey, LangfuseSecretKey = LangfuseSecretKey, LangfuseHost = LangfuseHost,
    };
}
