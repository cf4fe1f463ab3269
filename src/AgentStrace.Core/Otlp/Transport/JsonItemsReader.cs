namespace AgentStrace.Otlp.Transport;

/// <summary>
/// Reads the items a JSON batch API rejected from its success answer (as OTLP's partial success does for spans):
/// true when the body could be read; <paramref name="rejected"/> items failed, <paramref name="message"/> says why.
/// </summary>
public delegate bool JsonItemsReader(ReadOnlySpan<byte> body, out long rejected, out string message);
