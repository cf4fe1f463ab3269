using AgentStrace.Errors;
using AgentStrace.Otlp.Transport;

namespace AgentStrace.Export;

/// <summary>
/// What <c>export</c> was asked to do, settled before anything runs: the format an endpoint implies, and flags that
/// conflict or do not apply, which are usage errors (exit 2) naming the conflict instead of being ignored.
/// </summary>
public static class ExportFlagCheck
{
    /// <summary>
    /// An OTLP endpoint (flag, <c>--backend</c> or <c>OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT</c>) with no <c>--format</c>
    /// means "send the traces there": the format becomes <c>otlp-genai</c>.
    /// </summary>
    public static ExportRequest Settle(ExportRequest request, Func<string, string?> env)
    {
        if (!request.FormatGiven && !request.Metrics && WantsTraceDelivery(request, env)) request = request with { Format = ExportFormat.OtlpGenAi };
        Validate(request);
        return request;
    }

    /// <summary>An endpoint or backend is configured for traces by flag or environment.</summary>
    public static bool WantsTraceDelivery(ExportRequest request, Func<string, string?> env) =>
        !string.IsNullOrEmpty(request.Endpoint) || request.Backend is not null
        || !string.IsNullOrEmpty(env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) || !string.IsNullOrEmpty(env("OTEL_EXPORTER_OTLP_ENDPOINT"));

    private static void Validate(ExportRequest r)
    {
        bool langfuse = r.Backend == BackendPreset.Langfuse || r.Scores;
        bool otlpTraces = !r.Metrics && !langfuse && r.Format.IsSpans();
        if (r.Semconv is not null)
        {
            if (r.Metrics) Conflict("--semconv applies to trace exports (--format otlp-genai), not to --metrics");
            if (!langfuse && r.Format != ExportFormat.OtlpGenAi) Conflict($"--semconv applies only to --format otlp-genai, not to --format {r.Format.Word()}");
        }
        if (r.FormatGiven && r.Metrics && !r.Format.IsSpans())
        {
            Conflict($"--metrics writes OTLP metrics; --format {r.Format.Word()} does not apply to it");
        }
        if (langfuse && !string.IsNullOrEmpty(r.Endpoint))
        {
            Conflict("--endpoint does not apply to --backend langfuse; give the Langfuse base URL with --langfuse-host");
        }
        if (!langfuse && !string.IsNullOrEmpty(r.Environment))
        {
            Conflict("--environment applies to Langfuse exports (--backend langfuse); for OTLP set OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=...");
        }
        if (!string.IsNullOrEmpty(r.Output) && r.Output != "-")
        {
            if (!string.IsNullOrEmpty(r.Endpoint) || !string.IsNullOrEmpty(r.OtlpEndpoint) || r.Backend is not null)
            {
                Conflict("--output writes a file and --endpoint/--backend send to a collector; give one of them");
            }
            if (otlpTraces || r.Metrics)
            {
                string ext = Path.GetExtension(r.Output).ToLowerInvariant();
                bool protobufFile = ext is ".pb" or ".binpb" or ".protobuf";
                if (protobufFile && r.Protocol == OtlpProtocol.HttpJson) Conflict($"--output {r.Output} is a protobuf file name but --protocol http/json asks for JSON");
                if (ext == ".json" && r.Protocol is OtlpProtocol.HttpProtobuf or OtlpProtocol.Grpc) Conflict($"--output {r.Output} is a JSON file name but --protocol {r.Protocol.Value.ToFlag()} asks for protobuf");
            }
        }
        if (!otlpTraces && !r.Metrics && !langfuse && !r.Format.IsSpans())
        {
            if (r.Protocol is not null) Conflict($"--protocol applies to OTLP exports, not to --format {r.Format.Word()}");
            if (r.Compression is not null) Conflict($"--compression applies to OTLP exports, not to --format {r.Format.Word()}");
        }
    }

    /// <summary>Binary protobuf is never written to a terminal (as curl refuses to print binary output).</summary>
    public static void RefuseBinaryToTerminal(string? output, string what)
    {
        if ((string.IsNullOrEmpty(output) || output == "-") && !Console.IsOutputRedirected)
        {
            throw new AgentStraceException($"{what} is binary protobuf and stdout is a terminal: use --output FILE.pb, pipe it (| protoc --decode_raw), or --protocol http/json for readable OTLP/JSON.");
        }
    }

    private static void Conflict(string message) => throw new AgentStraceException("Conflicting flags: " + message + ".");
}
