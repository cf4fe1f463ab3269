using AgentStrace.Errors;

namespace AgentStrace.Otlp.Transport;

/// <summary>The outcome of one <see cref="OtlpTransport.SendAsync"/> (after retries).</summary>
public sealed record OtlpSendResult
{
    /// <summary>The receiver accepted the request (HTTP 2xx, gRPC OK); some items may still be rejected.</summary>
    public bool Delivered { get; init; }
    /// <summary>Items the receiver reported as rejected in a partial success.</summary>
    public long Rejected { get; init; }
    /// <summary>Items in the request, as the caller counted them.</summary>
    public int ItemCount { get; init; }
    /// <summary>The last HTTP status, 0 when no response arrived.</summary>
    public int HttpStatus { get; init; }
    /// <summary>The last gRPC status (gRPC only).</summary>
    public int? GrpcStatus { get; init; }
    public int Attempts { get; init; }
    public TimeSpan Elapsed { get; init; }
    /// <summary>
    /// One line for stderr: the failure (URL, status, server message, hint) or the partial-success message.
    /// Empty on a clean success. Header values are scrubbed.
    /// </summary>
    public string Message { get; init; } = "";

    /// <summary>Everything arrived: delivered with nothing rejected. Anything else is exit code 3.</summary>
    public bool Success => Delivered && Rejected == 0;

    /// <summary>Throws <see cref="ExportException"/> (exit code 3) with <see cref="Message"/> unless everything arrived.</summary>
    public void ThrowIfFailed()
    {
        if (!Success) throw new ExportException(Message);
    }
}
