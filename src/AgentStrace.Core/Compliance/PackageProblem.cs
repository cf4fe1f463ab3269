namespace AgentStrace.Compliance;

/// <summary>
/// One thing <c>verify --from-export</c> found. <paramref name="Link"/> marks upstream's own check (an event's
/// prev_hash differs from the previous event's line_hash); the others are this tool's stronger checks.
/// </summary>
public sealed record PackageProblem(string SessionId, long? Seq, string EventId, string Field, string Message, bool Link = false)
{
    public string Where =>
        (SessionId.Length > 0 ? $"session {SessionId}" : "package")
        + (Seq is long s ? $" seq {s}" : "")
        + (EventId.Length > 0 ? $" (event {EventId})" : "")
        + (Field.Length > 0 ? $" field {Field}" : "");
}
