namespace AgentStrace.Otlp.Transport;

public static partial class OtlpSettingsResolver
{
    /// <summary>
    /// service.name and OTEL_RESOURCE_ATTRIBUTES without an endpoint (file and stdout exports):
    /// the flag, else OTEL_SERVICE_NAME, else service.name in the attributes, else the default.
    /// </summary>
    public static string ResolveServiceResource(string? serviceNameFlag, Func<string, string?> env, List<string> warnings,
        out List<KeyValuePair<string, string>> resourceAttributes) =>
        ResolveResource(serviceNameFlag, name => env(name) is { Length: > 0 } v ? v : null, warnings, out resourceAttributes);
}
