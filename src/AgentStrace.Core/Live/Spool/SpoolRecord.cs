namespace AgentStrace.Live.Spool;

/// <summary>
/// One spooled span: an OTLP <c>ExportTraceServiceRequest</c> holding one <c>ResourceSpans</c> with one span
/// (protobuf), plus where it came from so a restart can tell which events already reached the spool.
/// </summary>
/// <param name="SessionId">The session whose events produced the span.</param>
/// <param name="SourceOffset">Byte offset in that session's events.ndjson just past the event that completed the span.</param>
/// <param name="SpooledAt">Unix seconds when the span was spooled.</param>
/// <param name="IsRoot">The session's root span (its trace is complete once this is delivered).</param>
/// <param name="Otlp">The protobuf request bytes.</param>
public sealed record SpoolRecord(string SessionId, long SourceOffset, double SpooledAt, bool IsRoot, byte[] Otlp);
