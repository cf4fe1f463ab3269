namespace AgentStrace.Testing;

/// <summary>One request <see cref="FakeCollector"/> received.</summary>
public sealed record RecordedRequest
{
    public required string Path { get; init; }
    public required string Protocol { get; init; }
    /// <summary>Header names lowercased; values joined with ", ".</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    /// <summary>The body as sent on the wire.</summary>
    public required byte[] RawBody { get; init; }
    /// <summary>The message: gunzipped and, for gRPC, without the 5-byte frame.</summary>
    public required byte[] Body { get; init; }
    /// <summary>gRPC frame: the compressed flag (null for HTTP).</summary>
    public byte? GrpcCompressedFlag { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out string? v) ? v : null;
}
