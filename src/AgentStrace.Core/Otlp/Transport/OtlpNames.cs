using AgentStrace.Errors;

namespace AgentStrace.Otlp.Transport;

/// <summary>Spellings of <see cref="OtlpProtocol"/>, <see cref="OtlpCompression"/> and <see cref="OtlpSignal"/> as used in flags, env and URLs.</summary>
public static class OtlpNames
{
    public static string ToFlag(this OtlpProtocol protocol) => protocol switch
    {
        OtlpProtocol.HttpJson => "http/json",
        OtlpProtocol.Grpc => "grpc",
        _ => "http/protobuf",
    };

    /// <summary><c>--protocol</c>, <c>OTEL_EXPORTER_OTLP_[SIGNAL_]PROTOCOL</c> and the ship configuration's <c>"protocol"</c>.</summary>
    public static readonly Choice<OtlpProtocol> Protocols = new("--protocol", ["http/protobuf", "http/json", "grpc"],
        [OtlpProtocol.HttpProtobuf, OtlpProtocol.HttpJson, OtlpProtocol.Grpc], ignoreCase: true);

    /// <summary><c>--compression</c> and <c>OTEL_EXPORTER_OTLP_[SIGNAL_]COMPRESSION</c>.</summary>
    public static readonly Choice<OtlpCompression> Compressions = new("--compression", ["gzip", "none"],
        [OtlpCompression.Gzip, OtlpCompression.None], ignoreCase: true);

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
