namespace AgentStrace.Otlp.Transport;

/// <summary>The OTLP transport and encoding: <c>http/protobuf</c> (default), <c>http/json</c> or <c>grpc</c>.</summary>
public enum OtlpProtocol
{
    /// <summary><c>http/protobuf</c>: POST protobuf bytes with <c>Content-Type: application/x-protobuf</c>.</summary>
    HttpProtobuf,
    /// <summary><c>http/json</c>: POST OTLP/JSON with <c>Content-Type: application/json</c>.</summary>
    HttpJson,
    /// <summary><c>grpc</c>: unary Export over HTTP/2, protobuf in a 5-byte length-prefixed frame.</summary>
    Grpc,
}
