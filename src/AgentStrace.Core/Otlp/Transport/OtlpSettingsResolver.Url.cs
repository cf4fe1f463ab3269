using AgentStrace.Errors;

namespace AgentStrace.Otlp.Transport;

/// <summary>Endpoint rules.</summary>
public static partial class OtlpSettingsResolver
{
    private enum EndpointKind
    {
        /// <summary><c>--endpoint</c>: a full signal URL is kept, a base URL gets the backend's path.</summary>
        Flag,
        /// <summary><c>OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT</c>: used as is.</summary>
        Exact,
        /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, presets and defaults: the signal path is appended.</summary>
        Base,
    }

    /// <returns>The request URL (without user info) and the user info it had (escaped), for Basic auth.</returns>
    private static (Uri Url, OtlpBackend? Backend, string UserInfo) ResolveUrl(OtlpFlags flags, OtlpSignal signal, OtlpProtocol protocol,
        OtlpBackend? backend, Func<string, string?> env, List<string> warnings)
    {
        string s = signal.EnvName();
        (Uri endpoint, EndpointKind kind) = flags.Endpoint is { Length: > 0 } flag
            ? (OtlpUrls.TryParse(flag) ?? throw new AgentStraceException($"Invalid --endpoint '{OtlpUrls.DisplayInput(flag)}': use an http:// or https:// URL such as http://localhost:4318."), EndpointKind.Flag)
            : env($"OTEL_EXPORTER_OTLP_{s}_ENDPOINT") is { } signalEnv
                ? (ParseEnv(signalEnv, $"OTEL_EXPORTER_OTLP_{s}_ENDPOINT"), EndpointKind.Exact)
                : env("OTEL_EXPORTER_OTLP_ENDPOINT") is { } genericEnv
                    ? (ParseEnv(genericEnv, "OTEL_EXPORTER_OTLP_ENDPOINT"), EndpointKind.Base)
                    : (DefaultEndpoint(backend, protocol, flags, env), EndpointKind.Base);

        string userInfo = endpoint.UserInfo;
        if (userInfo.Length > 0) endpoint = new UriBuilder(endpoint) { UserName = "", Password = "" }.Uri;
        backend ??= OtlpBackends.Recognize(endpoint.Host);
        if (backend == OtlpBackends.Datadog) endpoint = DatadogEndpoint(endpoint, warnings);

        if (backend is not null)
        {
            if (protocol == OtlpProtocol.Grpc && !backend.SupportsGrpc)
            {
                throw new AgentStraceException($"{backend.Name} does not accept OTLP over gRPC: use --protocol http/protobuf.");
            }
            if (signal == OtlpSignal.Metrics && !backend.SupportsMetrics)
            {
                throw new AgentStraceException($"{backend.Name} does not accept OTLP metrics: send them to a collector or another backend.");
            }
        }

        if (protocol == OtlpProtocol.Grpc) return (OtlpUrls.GrpcMethodUrl(endpoint, signal), backend, userInfo);
        if (kind == EndpointKind.Exact)
        {
            // An empty path becomes "/" (Uri already normalises it so); nothing is appended.
            return (endpoint, backend, userInfo);
        }
        string path = backend?.PathFor(signal) ?? signal.HttpPath();
        if (kind == EndpointKind.Flag && (OtlpUrls.PathEndsWith(endpoint, signal.HttpPath()) || OtlpUrls.PathEndsWith(endpoint, path)))
        {
            return (endpoint, backend, userInfo);
        }
        if (backend == OtlpBackends.Langfuse && OtlpUrls.PathEndsWith(endpoint, "api/public/otel")) path = signal.HttpPath();
        return (OtlpUrls.AppendPath(endpoint, path), backend, userInfo);
    }

    private static Uri ParseEnv(string value, string variable) =>
        OtlpUrls.TryParse(value) ?? throw new AgentStraceException($"Invalid {variable} '{OtlpUrls.DisplayInput(value)}': use an http:// or https:// URL.");

    private static Uri DefaultEndpoint(OtlpBackend? backend, OtlpProtocol protocol, OtlpFlags flags, Func<string, string?> env)
    {
        if (backend == OtlpBackends.Langfuse)
        {
            string host = flags.LangfuseHost is { Length: > 0 } h ? h : env("LANGFUSE_HOST") ?? env("LANGFUSE_BASE_URL") ?? OtlpBackends.LangfuseCloud;
            return OtlpUrls.TryParse(host) ?? throw new AgentStraceException($"Invalid Langfuse host '{OtlpUrls.DisplayInput(host)}': use an https:// URL.");
        }
        if (backend == OtlpBackends.Splunk)
        {
            string realm = env("SPLUNK_REALM")
                ?? throw new AgentStraceException("--backend splunk needs the realm: add --endpoint https://ingest.<realm>.signalfx.com (or set SPLUNK_REALM).");
            return new Uri(protocol == OtlpProtocol.Grpc ? $"https://ingest.{realm}.signalfx.com:443" : $"https://ingest.{realm}.signalfx.com");
        }
        if (backend == OtlpBackends.Datadog)
        {
            return new Uri($"https://otlp.{env("DD_SITE") ?? OtlpBackends.DefaultDatadogSite}");
        }
        string? preset = protocol == OtlpProtocol.Grpc ? backend?.DefaultGrpcEndpoint : backend?.DefaultEndpoint;
        return new Uri(preset ?? (protocol == OtlpProtocol.Grpc ? "http://localhost:4317" : "http://localhost:4318"));
    }

    // See OtlpBackends.Datadog: the logs intake cannot take OTLP traces, its site's OTLP intake can.
    private static Uri DatadogEndpoint(Uri endpoint, List<string> warnings)
    {
        string? site = OtlpBackends.DatadogSite(endpoint.Host);
        if (site is null || endpoint.Host.StartsWith("otlp.", StringComparison.OrdinalIgnoreCase)) return endpoint;
        var rewritten = new Uri($"https://otlp.{site}");
        warnings.Add($"{endpoint.Host} is Datadog's logs intake and does not accept OTLP traces; sending to Datadog's OTLP intake {rewritten.Host} instead.");
        return rewritten;
    }
}
