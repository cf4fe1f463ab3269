using AgentStrace.Otlp.Protobuf;

namespace AgentStrace.Otlp.Metrics;

/// <summary>
/// Encodes an OTLP <c>ExportMetricsServiceRequest</c> (the same bytes are a <c>MetricsData</c>) with the writers
/// generated from <c>otlp.protoschema</c> into <see cref="OtlpProtobuf"/>.
/// </summary>
public static class MetricsRequestWriter
{
    public static void Write(ProtoWriter writer, ResourceMetricsData data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        OtlpProtobuf.WriteExportMetricsServiceRequest(writer, data);
    }
}
