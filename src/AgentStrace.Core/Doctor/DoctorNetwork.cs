using AgentStrace.Errors;
using AgentStrace.Langfuse;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;

namespace AgentStrace.Doctor;

/// <summary>Network checks: the OTLP endpoint takes an (empty) export request; Langfuse accepts the keys.</summary>
internal static class DoctorNetwork
{
    /// <summary>
    /// Sends an export request with no spans through the same transport as <c>export</c> (protocol, headers, TLS and
    /// retry included) to <c>--endpoint</c> or the endpoint the OTEL_EXPORTER_OTLP_* variables configure.
    /// </summary>
    public static async Task<IEnumerable<DoctorLine>> Endpoint(DoctorContext c, CancellationToken cancellationToken)
    {
        string? source = c.Endpoint is { Length: > 0 } ? "--endpoint"
            : c.Env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") is { Length: > 0 } ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
            : c.Env("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } ? "OTEL_EXPORTER_OTLP_ENDPOINT" : null;
        if (source is null)
        {
            return [new DoctorLine("OTLP endpoint", CheckState.Skip, "none configured (OTEL_EXPORTER_OTLP_ENDPOINT unset)",
                "to check one: agent-strace doctor --endpoint http://localhost:4318")];
        }
        OtlpSettings settings;
        try
        {
            settings = OtlpSettingsResolver.Resolve(new OtlpFlags { Endpoint = c.Endpoint, TimeoutSeconds = c.Timeout.TotalSeconds }, OtlpSignal.Traces, c.Env);
        }
        catch (AgentStraceException ex)
        {
            return [new DoctorLine("OTLP endpoint", CheckState.Fail, ex.Message, $"fix {source}")];
        }
        // An empty ExportTraceServiceRequest: no bytes in protobuf, {} in OTLP/JSON. Receivers answer it like any export.
        byte[] body = settings.Protocol == OtlpProtocol.HttpJson ? "{}"u8.ToArray() : [];
        using var transport = new OtlpTransport(settings);
        OtlpSendResult result = await transport.SendAsync(body, 0, cancellationToken);
        return result.Delivered
            ? [new DoctorLine("OTLP endpoint", CheckState.Ok, $"{settings.DisplayUrl} accepted an empty export ({ProtocolName(settings.Protocol)}, HTTP {result.HttpStatus}, {result.Elapsed.TotalMilliseconds:0} ms)")]
            : [new DoctorLine("OTLP endpoint", CheckState.Fail, Output.Text.OneLine(result.Message, 300),
                $"start the collector, or fix {source}{(source == "--endpoint" ? "" : " (and OTEL_EXPORTER_OTLP_HEADERS)")}")];
    }

    /// <summary>Langfuse keys, when set: the public API answers an authenticated request with 200 (401 for wrong keys).</summary>
    public static async Task<IEnumerable<DoctorLine>> Langfuse(DoctorContext c, CancellationToken cancellationToken)
    {
        if (c.Env("LANGFUSE_PUBLIC_KEY") is not { Length: > 0 } && c.Env("LANGFUSE_SECRET_KEY") is not { Length: > 0 })
        {
            return [new DoctorLine("Langfuse", CheckState.Skip, "no keys set (LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY)")];
        }
        LangfuseConfig config;
        try
        {
            config = LangfuseConfig.Resolve(null, null, null, c.Env);
        }
        catch (AgentStraceException ex)
        {
            return [new DoctorLine("Langfuse", CheckState.Fail, ex.Message, "set both LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY")];
        }
        OtlpSettings settings;
        try
        {
            // The same destination settings as `export --backend langfuse` (headers, custom CA, timeout), so a key or
            // TLS problem shows here as it would there.
            settings = OtlpSettingsResolver.Resolve(new OtlpFlags
            {
                Endpoint = config.OtelTracesUrl.ToString(),
                Backend = BackendPreset.Langfuse,
                LangfusePublicKey = config.PublicKey,
                LangfuseSecretKey = config.SecretKey,
                LangfuseHost = config.Host.ToString(),
                TimeoutSeconds = c.Timeout.TotalSeconds,
            }, OtlpSignal.Traces, c.Env);
        }
        catch (AgentStraceException ex)
        {
            return [new DoctorLine("Langfuse", CheckState.Fail, ex.Message, "check OTEL_EXPORTER_OTLP_* and the LANGFUSE_* variables")];
        }
        Uri url = OtlpUrls.AppendPath(config.Host, "api/public/projects");
        using var transport = new OtlpTransport(settings);
        OtlpSendResult result = await transport.GetAsync(url, "Langfuse key check", cancellationToken);
        return result switch
        {
            { Delivered: true } => [new DoctorLine("Langfuse", CheckState.Ok, $"{config.DisplayHost} accepted the keys")],
            { HttpStatus: 401 or 403 } => [new DoctorLine("Langfuse", CheckState.Fail,
                $"{config.DisplayHost} rejected the keys (HTTP {result.HttpStatus})", "check LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY and LANGFUSE_HOST (keys belong to one region)")],
            { HttpStatus: > 0 } => [new DoctorLine("Langfuse", CheckState.Fail, $"{config.DisplayHost} answered HTTP {result.HttpStatus} to {url.AbsolutePath}", "check LANGFUSE_HOST")],
            _ => [new DoctorLine("Langfuse", CheckState.Fail, $"{config.DisplayHost} cannot be reached: {Output.Text.OneLine(result.Message, 200)}", "check LANGFUSE_HOST and the network")],
        };
    }

    private static string ProtocolName(OtlpProtocol p) => p switch
    {
        OtlpProtocol.HttpJson => "http/json",
        OtlpProtocol.Grpc => "grpc",
        _ => "http/protobuf",
    };
}
