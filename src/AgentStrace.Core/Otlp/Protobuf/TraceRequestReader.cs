using AgentStrace.Spans;

namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// Reads back the OTLP protobuf that <see cref="TraceRequestWriter"/> writes (a spool record), so the watch sender
/// can re-encode spooled spans for any protocol (protobuf, JSON, gRPC) and merge one session's spans into one
/// <c>ResourceSpans</c>. The reader is generated from <c>otlp.protoschema</c> (<see cref="OtlpProtobuf"/>): only the
/// fields agent-strace writes are decoded; others are skipped.
/// </summary>
public static class TraceRequestReader
{
    /// <summary>Decodes an <c>ExportTraceServiceRequest</c>; throws <see cref="FormatException"/> on malformed input.</summary>
    public static List<ResourceSpans> Read(ReadOnlySpan<byte> request) => [.. OtlpProtobuf.ReadExportTraceServiceRequest(request)];
}
