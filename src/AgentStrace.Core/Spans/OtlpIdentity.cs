using System.Runtime.InteropServices;

namespace AgentStrace.Spans;

/// <summary>
/// How agent-strace names itself in OTLP payloads and requests: one instrumentation scope for traces and metrics, the
/// <c>telemetry.sdk.*</c> resource entity, the schema URL of the semantic conventions followed, and the User-Agent.
/// </summary>
public static class OtlpIdentity
{
    /// <summary>The instrumentation scope name of every span and metric.</summary>
    public const string ScopeName = "agent-strace";

    /// <summary>The conventions the otlp-genai spans and the metrics follow (GenAI v1.41; see docs/production-tracing.md).</summary>
    public const string SchemaUrl = "https://opentelemetry.io/schemas/1.41.0";

    /// <summary>The tool's version (e.g. <c>0.1.0</c>), without build metadata.</summary>
    public const string Version = BuildInfo.Version;

    /// <summary>
    /// The OTLP exporter User-Agent: the product, the exporter with its language and version (as the OTel exporter spec asks), then
    /// the runtime and the platform, e.g. <c>agent-strace/0.1.0 OTel-OTLP-Exporter-Dotnet/0.1.0 (.NET 10.0.0; linux-x64)</c>.
    /// </summary>
    public static string UserAgent { get; } =
        $"agent-strace/{Version} OTel-OTLP-Exporter-Dotnet/{Version} ({RuntimeInformation.FrameworkDescription}; {RuntimeInformation.RuntimeIdentifier})";

    /// <summary>
    /// The resource of a payload, one value per key: <paramref name="defaults"/> (after <c>service.name</c>), replaced by
    /// <c>OTEL_RESOURCE_ATTRIBUTES</c> entries with the same key (the last one wins), with <c>service.name</c>
    /// already resolved as flag &gt; <c>OTEL_SERVICE_NAME</c> &gt; <c>OTEL_RESOURCE_ATTRIBUTES</c> &gt; default.
    /// </summary>
    public static List<SpanAttribute> Resource(string serviceName, IEnumerable<SpanAttribute> defaults, IEnumerable<SpanAttribute> environment)
    {
        var resource = new List<SpanAttribute> { SpanAttribute.Of("service.name", serviceName) };
        foreach (SpanAttribute a in defaults) Set(resource, a);
        resource.Add(SpanAttribute.Of("telemetry.sdk.name", ScopeName));
        resource.Add(SpanAttribute.Of("telemetry.sdk.language", "dotnet"));
        resource.Add(SpanAttribute.Of("telemetry.sdk.version", Version));
        foreach (SpanAttribute a in environment)
        {
            if (a.Key != "service.name") Set(resource, a);
        }
        return resource;
    }

    private static void Set(List<SpanAttribute> attributes, SpanAttribute attribute)
    {
        int i = attributes.FindIndex(a => a.Key == attribute.Key);
        if (i >= 0) attributes[i] = attribute;
        else attributes.Add(attribute);
    }
}
