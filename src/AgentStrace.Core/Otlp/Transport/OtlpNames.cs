namespace AgentStrace.Otlp.Transport;

/// <summary>Spellings of <see cref="OtlpProtocol"/> and <see cref="OtlpSignal"/> as used in flags, env and URLs.</summary>
public static class OtlpNames
{
    public static string ToFlag(this OtlpProtocol protocol) => protocol switch
    {
        OtlpProtocol.HttpJson => "http/json",
        OtlpProtocol.Grpc => "grpc",
        _ => "http/protobuf",
    };

    public static bool TryParseProtocol(string? value, out OtlpProtocol protocol)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "http/protobuf": protocol = OtlpProtocol.HttpProtobuf; return true;
            case "http/json": protocol = OtlpProtocol.HttpJson; return true;
            case "grpc": protocol = OtlpProtocol.Grpc; return true;
            default: protocol = OtlpProtocol.HttpProtobuf; return false;
        }
    }

    /// <summary>The default OTLP/HTTP path, e.g. <c>v1/traces</c> (no leading slash).</summary>
    public static string HttpPath(this OtlpSignal signal) => signal == OtlpSignal.Metrics ? "v1/metrics" : "v1/traces";

    /// <summary>The gRPC method path, e.g. <c>/opentelemetry.proto.collector.trace.v1.TraceService/Export</c>.</summary>
    public static string GrpcPath(this OtlpSignal signal) => signal == OtlpSignal.Metrics
        ? "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"
        : "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    /// <summary>The env var infix: <c>TRACES</c> or <c>METRICS</c>.</summary>
    public static string EnvName(this OtlpSignal signal) => signal == OtlpSignal.Metrics ? "METRICS" : "TRACES";

    /// <summary>What the signal's items are called in messages: spans or data points.</summary>
    public static string ItemName(this OtlpSignal signal) => signal == OtlpSignal.Metrics ? "data points" : "spans";
}
