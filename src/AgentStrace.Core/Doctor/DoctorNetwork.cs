using System.Net;
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
        Uri url = OtlpUrls.AppendPath(config.Host, "api/public/projects");
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = c.Timeout }) { Timeout = c.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", config.AuthorizationValue);
        request.Headers.UserAgent.ParseAdd(OtlpIdentity.UserAgent);
        try
        {
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => [new DoctorLine("Langfuse", CheckState.Ok, $"{config.DisplayHost} accepted the keys")],
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => [new DoctorLine("Langfuse", CheckState.Fail,
                    $"{config.DisplayHost} rejected the keys (HTTP {(int)response.StatusCode})", "check LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY and LANGFUSE_HOST (keys belong to one region)")],
                _ => [new DoctorLine("Langfuse", CheckState.Fail, $"{config.DisplayHost} answered HTTP {(int)response.StatusCode} to {url.AbsolutePath}", "check LANGFUSE_HOST")],
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            string why = ex is TaskCanceledException ? $"no answer within {c.Timeout.TotalSeconds:0} s" : Output.Text.OneLine(ex.Message, 200);
            return [new DoctorLine("Langfuse", CheckState.Fail, $"{config.DisplayHost} cannot be reached: {why}", "check LANGFUSE_HOST and the network")];
        }
    }

    private static string ProtocolName(OtlpProtocol p) => p switch
    {
        OtlpProtocol.HttpJson => "http/json",
        OtlpProtocol.Grpc => "grpc",
        _ => "http/protobuf",
    };
}
