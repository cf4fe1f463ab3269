using System.Globalization;
using System.Text;
using AgentStrace.Errors;
using AgentStrace.Otlp.Internal;

namespace AgentStrace.Otlp.Transport;

/// <summary>
/// Resolves <see cref="OtlpSettings"/> from flags, the <c>OTEL_EXPORTER_OTLP_*</c> variables
/// (opentelemetry-specification <c>protocol/exporter.md</c>) and <c>--backend</c> presets. Flags win over the
/// environment; signal-specific variables win over generic ones.
/// </summary>
/// <remarks>Bad input throws <see cref="AgentStraceException"/> (exit 2) with one sentence that names the flag or
/// variable, never a header value. Ignorable problems go to <see cref="OtlpSettings.Warnings"/>.</remarks>
public static class OtlpSettingsResolver
{
    public const string DefaultServiceName = "agent-trace";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Resolves against the real process environment.</summary>
    public static OtlpSettings Resolve(OtlpFlags flags, OtlpSignal signal) => Resolve(flags, signal, Environment.GetEnvironmentVariable);

    public static OtlpSettings Resolve(OtlpFlags flags, OtlpSignal signal, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(env);
        var warnings = new List<string>();
        string s = signal.EnvName();
        string? Env(string name) => env(name) is { Length: > 0 } v ? v : null;

        OtlpBackend? backend = flags.Backend is { } preset ? OtlpBackends.Of(preset) : null;
        OtlpProtocol protocol = ResolveProtocol(flags.Protocol, Env($"OTEL_EXPORTER_OTLP_{s}_PROTOCOL"), Env("OTEL_EXPORTER_OTLP_PROTOCOL"), s);
        (Uri url, backend, string userInfo) = ResolveUrl(flags, signal, protocol, backend, Env, warnings);

        var headers = new List<KeyValuePair<string, string>>();
        string? envHeaders = Env($"OTEL_EXPORTER_OTLP_{s}_HEADERS") is { } sh ? sh : Env("OTEL_EXPORTER_OTLP_HEADERS");
        if (envHeaders is not null)
        {
            string variable = Env($"OTEL_EXPORTER_OTLP_{s}_HEADERS") is null ? "OTEL_EXPORTER_OTLP_HEADERS" : $"OTEL_EXPORTER_OTLP_{s}_HEADERS";
            foreach (KeyValuePair<string, string> h in OtlpHeaderParser.ParseEnvHeaders(envHeaders, variable, warnings)) OtlpHeaderParser.Set(headers, h.Key, h.Value);
        }
        for (int i = 0; i < flags.Headers.Count; i++)
        {
            KeyValuePair<string, string> h = OtlpHeaderParser.ParseFlag(flags.Headers[i], i);
            OtlpHeaderParser.Set(headers, h.Key, h.Value);
        }
        if (userInfo.Length > 0) UseUserInfoAsBasicAuth(userInfo, headers);
        if (backend is not null) ApplyBackendHeaders(backend, flags, headers, Env);
        OtlpHeaderParser.RequireSafeValues(headers);

        return new OtlpSettings
        {
            Url = url,
            Protocol = protocol,
            Signal = signal,
            Headers = headers,
            Gzip = ResolveGzip(flags.Compression, Env($"OTEL_EXPORTER_OTLP_{s}_COMPRESSION"), Env("OTEL_EXPORTER_OTLP_COMPRESSION"), s),
            Timeout = ResolveTimeout(flags.TimeoutSeconds, Env, s, warnings),
            CertificatePath = ResolveCertificate(Env, s),
            ServiceName = ResolveResource(flags.ServiceName, Env, warnings, out List<KeyValuePair<string, string>> resource),
            ResourceAttributes = resource,
            Backend = backend?.Name,
            Warnings = warnings,
        };
    }

    // curl's rule: user:password in the URL is Basic auth. It is never dropped silently, and never sent twice.
    private static void UseUserInfoAsBasicAuth(string userInfo, List<KeyValuePair<string, string>> headers)
    {
        if (OtlpHeaderParser.Get(headers, "Authorization") is not null)
        {
            throw new AgentStraceException("The endpoint URL holds user:password and an Authorization header is also given: give the credentials once.");
        }
        int colon = userInfo.IndexOf(':');
        string user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        string password = colon < 0 ? "" : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        if (OtlpHeaderParser.HasLineBreakOrNul(user + password))
        {
            throw new AgentStraceException("The endpoint URL's user:password holds a line break or NUL.");
        }
        headers.Add(new("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password))));
    }

    // The flag (already an enum) wins, then the signal's variable, then the generic one; a variable's word is read here, once.
    private static OtlpProtocol ResolveProtocol(OtlpProtocol? flag, string? signalEnv, string? genericEnv, string s) =>
        flag ?? (signalEnv is not null ? OtlpNames.Protocols.ParseFrom($"OTEL_EXPORTER_OTLP_{s}_PROTOCOL", signalEnv)
            : genericEnv is not null ? OtlpNames.Protocols.ParseFrom("OTEL_EXPORTER_OTLP_PROTOCOL", genericEnv)
            : OtlpProtocol.HttpProtobuf);

    private static bool ResolveGzip(OtlpCompression? flag, string? signalEnv, string? genericEnv, string s) =>
        (flag ?? (signalEnv is not null ? OtlpNames.Compressions.ParseFrom($"OTEL_EXPORTER_OTLP_{s}_COMPRESSION", signalEnv)
            : genericEnv is not null ? OtlpNames.Compressions.ParseFrom("OTEL_EXPORTER_OTLP_COMPRESSION", genericEnv)
            : OtlpCompression.None)) == OtlpCompression.Gzip;

    private static TimeSpan? ResolveTimeout(double? flagSeconds, Func<string, string?> env, string s, List<string> warnings)
    {
        if (flagSeconds is { } seconds)
        {
            if (double.IsNaN(seconds) || seconds < 0 || seconds > int.MaxValue / 1000.0)
            {
                throw new AgentStraceException($"Invalid --timeout {seconds.ToString(CultureInfo.InvariantCulture)}: use seconds >= 0 (0 = no limit).");
            }
            return seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
        }
        foreach (string name in (string[])[$"OTEL_EXPORTER_OTLP_{s}_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"])
        {
            if (env(name) is not { } text) continue;
            if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms) || ms < 0)
            {
                warnings.Add($"Ignored {name}='{text}': expected whole milliseconds >= 0 (0 = no limit).");
                continue;
            }
            return ms == 0 ? null : TimeSpan.FromMilliseconds(Math.Min(ms, int.MaxValue));
        }
        return DefaultTimeout;
    }

    private static string? ResolveCertificate(Func<string, string?> env, string s)
    {
        string name = env($"OTEL_EXPORTER_OTLP_{s}_CERTIFICATE") is not null ? $"OTEL_EXPORTER_OTLP_{s}_CERTIFICATE" : "OTEL_EXPORTER_OTLP_CERTIFICATE";
        if (env(name) is not { } path) return null;
        return File.Exists(path) ? path : throw new AgentStraceException($"{name} points to '{path}', which does not exist: give a PEM file of CA certificates.");
    }

    private static string ResolveResource(string? flag, Func<string, string?> env, List<string> warnings, out List<KeyValuePair<string, string>> resource)
    {
        resource = env("OTEL_RESOURCE_ATTRIBUTES") is { } attrs ? OtlpHeaderParser.ParseResourceAttributes(attrs, warnings) : [];
        string? fromAttributes = null;
        for (int i = resource.Count - 1; i >= 0; i--)
        {
            if (resource[i].Key != "service.name") continue;
            fromAttributes ??= resource[i].Value;
            resource.RemoveAt(i);
        }
        if (flag is { Length: > 0 }) return flag;
        return env("OTEL_SERVICE_NAME") ?? fromAttributes ?? DefaultServiceName;
    }

    private static void ApplyBackendHeaders(OtlpBackend backend, OtlpFlags flags, List<KeyValuePair<string, string>> headers, Func<string, string?> env)
    {
        foreach (KeyValuePair<string, string> extra in backend.ExtraHeaders)
        {
            if (OtlpHeaderParser.Get(headers, extra.Key) is null) headers.Add(extra);
        }
        if (backend.AuthHeader is not { } auth || OtlpHeaderParser.Get(headers, auth) is { Length: > 0 }) return;

        if (backend == OtlpBackends.Langfuse)
        {
            string? pk = flags.LangfusePublicKey is { Length: > 0 } p ? p : env("LANGFUSE_PUBLIC_KEY");
            string? sk = flags.LangfuseSecretKey is { Length: > 0 } k ? k : env("LANGFUSE_SECRET_KEY");
            if (pk is null || sk is null)
            {
                throw new AgentStraceException("Langfuse credentials not set: set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY, or use --langfuse-public-key / --langfuse-secret-key.");
            }
            OtlpHeaderParser.Set(headers, "Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pk + ":" + sk)));
            return;
        }
        if (backend.AuthEnvVar is { } variable && env(variable) is { } key)
        {
            OtlpHeaderParser.Set(headers, auth, key);
            return;
        }
        string hint = backend.AuthEnvVar is { } v ? $"--header \"{auth}: ${v}\" (or set {v})" : $"--header \"{auth}: ...\"";
        throw new AgentStraceException($"{backend.Name} requires the {auth} header: add {hint}.");
    }

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

    /// <summary>
    /// service.name and OTEL_RESOURCE_ATTRIBUTES without an endpoint (file and stdout exports):
    /// the flag, else OTEL_SERVICE_NAME, else service.name in the attributes, else the default.
    /// </summary>
    public static string ResolveServiceResource(string? serviceNameFlag, Func<string, string?> env, List<string> warnings,
        out List<KeyValuePair<string, string>> resourceAttributes) =>
        ResolveResource(serviceNameFlag, name => env(name) is { Length: > 0 } v ? v : null, warnings, out resourceAttributes);
}
