using AgentStrace.Errors;

namespace AgentStrace.Otlp.Transport;

/// <summary>The <c>--backend</c> presets and recognition of the hosts in the production-tracing guide.</summary>
public static class OtlpBackends
{
    /// <summary><c>--backend</c> and the ship configuration's <c>"backend"</c>; grafana and new-relic are accepted spellings.</summary>
    public static readonly Choice<BackendPreset> Presets = new("--backend",
        ["otlp", "jaeger", "tempo", "aspire", "honeycomb", "newrelic", "splunk", "datadog", "langfuse", "grafana", "new-relic"],
        [BackendPreset.Otlp, BackendPreset.Jaeger, BackendPreset.Tempo, BackendPreset.Aspire, BackendPreset.Honeycomb, BackendPreset.NewRelic,
            BackendPreset.Splunk, BackendPreset.Datadog, BackendPreset.Langfuse, BackendPreset.Tempo, BackendPreset.NewRelic], shown: 9, ignoreCase: true);

    public const string DefaultDatadogSite = "datadoghq.com";
    public const string LangfuseCloud = "https://cloud.langfuse.com";
    public const string LangfuseOtelPath = "api/public/otel/v1/traces";

    public static readonly OtlpBackend Otlp = new() { Name = "otlp" };

    public static readonly OtlpBackend Jaeger = new()
    {
        Name = "jaeger", DefaultEndpoint = "http://localhost:4318", DefaultGrpcEndpoint = "http://localhost:4317", SupportsMetrics = false,
    };

    /// <summary>A local Tempo (or any collector in front of it); Grafana Cloud hosts additionally need Authorization.</summary>
    public static readonly OtlpBackend Tempo = new()
    {
        Name = "tempo", DefaultEndpoint = "http://localhost:4318", DefaultGrpcEndpoint = "http://localhost:4317", SupportsMetrics = false,
    };

    public static readonly OtlpBackend GrafanaCloud = Tempo with { AuthHeader = "Authorization", AuthEnvVar = null, SupportsMetrics = true };

    /// <summary>The standalone Aspire dashboard container (<c>-p 4317:18889 -p 4318:18890</c>).</summary>
    public static readonly OtlpBackend Aspire = new()
    {
        Name = "aspire", DefaultEndpoint = "http://localhost:4318", DefaultGrpcEndpoint = "http://localhost:4317",
    };

    public static readonly OtlpBackend Honeycomb = new()
    {
        Name = "honeycomb", DefaultEndpoint = "https://api.honeycomb.io", DefaultGrpcEndpoint = "https://api.honeycomb.io:443",
        AuthHeader = "x-honeycomb-team", AuthEnvVar = "HONEYCOMB_API_KEY",
    };

    public static readonly OtlpBackend NewRelic = new()
    {
        Name = "newrelic", DefaultEndpoint = "https://otlp.nr-data.net", DefaultGrpcEndpoint = "https://otlp.nr-data.net:4317",
        AuthHeader = "api-key", AuthEnvVar = "NEW_RELIC_LICENSE_KEY",
    };

    /// <summary>Splunk Observability: not <c>/v1/traces</c> but <c>/v2/trace/otlp</c> and <c>/v2/datapoint/otlp</c>; the realm comes from the host or <c>SPLUNK_REALM</c>.</summary>
    public static readonly OtlpBackend Splunk = new()
    {
        Name = "splunk", TracesPath = "v2/trace/otlp", MetricsPath = "v2/datapoint/otlp",
        AuthHeader = "X-SF-Token", AuthEnvVar = "SPLUNK_ACCESS_TOKEN",
    };

    /// <summary>
    /// Datadog's agentless OTLP intake, <c>https://otlp.&lt;site&gt;/v1/traces</c> (http/protobuf or http/json, no gRPC),
    /// with <c>dd-api-key</c>, <c>dd-protocol: otlp</c> and <c>dd-otlp-source</c>.
    /// </summary>
    /// <remarks>
    /// Decision: the guide's <c>https://http-intake.logs.datadoghq.com:443</c> is Datadog's <em>logs</em> HTTP intake,
    /// which does not accept OTLP traces; posting spans there cannot work. That host is therefore rewritten to the
    /// OTLP intake of the same site (<c>http-intake.logs.&lt;site&gt;</c> → <c>otlp.&lt;site&gt;</c>) with a warning,
    /// and the seed's <c>DD-API-KEY</c> header satisfies <c>dd-api-key</c> (header names are case-insensitive).
    /// <c>dd-otlp-source</c> defaults to <c>llmobs</c>, the documented value for LLM Observability, which is where
    /// GenAI spans of agent sessions belong; a user-given <c>dd-otlp-source</c> header wins. Through a local
    /// Datadog Agent (<c>http://localhost:4318</c>) none of this applies: that is plain OTLP.
    /// </remarks>
    public static readonly OtlpBackend Datadog = new()
    {
        Name = "datadog", AuthHeader = "dd-api-key", AuthEnvVar = "DD_API_KEY", SupportsGrpc = false,
        ExtraHeaders = [new("dd-protocol", "otlp"), new("dd-otlp-source", "llmobs")],
    };

    /// <summary>Langfuse's OTLP endpoint: HTTP only, traces only, Basic auth from the public and secret keys.</summary>
    public static readonly OtlpBackend Langfuse = new()
    {
        Name = "langfuse", DefaultEndpoint = LangfuseCloud, TracesPath = LangfuseOtelPath, AuthHeader = "Authorization",
        SupportsGrpc = false, SupportsMetrics = false, ExtraHeaders = [new("x-langfuse-ingestion-version", "4")],
    };

    public static OtlpBackend Of(BackendPreset preset) => preset switch
    {
        BackendPreset.Jaeger => Jaeger,
        BackendPreset.Tempo => Tempo,
        BackendPreset.Aspire => Aspire,
        BackendPreset.Honeycomb => Honeycomb,
        BackendPreset.NewRelic => NewRelic,
        BackendPreset.Splunk => Splunk,
        BackendPreset.Datadog => Datadog,
        BackendPreset.Langfuse => Langfuse,
        _ => Otlp,
    };

    /// <summary>Recognises a backend from the endpoint host (the hosts in the guide's per-backend section).</summary>
    public static OtlpBackend? Recognize(string host)
    {
        host = host.ToLowerInvariant();
        if (host.EndsWith(".honeycomb.io", StringComparison.Ordinal)) return Honeycomb;
        if (host.EndsWith(".nr-data.net", StringComparison.Ordinal)) return NewRelic;
        if (host.StartsWith("ingest.", StringComparison.Ordinal) && host.EndsWith(".signalfx.com", StringComparison.Ordinal)) return Splunk;
        if (DatadogSite(host) is not null) return Datadog;
        if (host.EndsWith("langfuse.com", StringComparison.Ordinal)) return Langfuse;
        if (host.EndsWith(".grafana.net", StringComparison.Ordinal)) return GrafanaCloud;
        return null;
    }

    /// <summary>The Datadog site of an intake host (<c>otlp.datadoghq.eu</c> → <c>datadoghq.eu</c>), or null.</summary>
    public static string? DatadogSite(string host)
    {
        host = host.ToLowerInvariant();
        bool isDatadog = host.EndsWith("datadoghq.com", StringComparison.Ordinal) || host.EndsWith("datadoghq.eu", StringComparison.Ordinal)
            || host.EndsWith("ddog-gov.com", StringComparison.Ordinal);
        if (!isDatadog) return null;
        if (host.StartsWith("otlp.", StringComparison.Ordinal)) return host["otlp.".Length..];
        if (host.StartsWith("http-intake.logs.", StringComparison.Ordinal)) return host["http-intake.logs.".Length..];
        return null;
    }
}
