namespace AgentStrace.Compliance;

/// <summary>How a session's <c>prev_hash</c> chain looks (upstream's prev_hash chain; the finer classes follow upstream's compliance-report).</summary>
public enum ChainStatus
{
    /// <summary>Every line after the first carries a valid <c>prev_hash</c> (or there is a single line).</summary>
    Intact,
    /// <summary>No event lines at all.</summary>
    Empty,
    /// <summary>Recorded before v0.62: no line carries a <c>prev_hash</c>. Nothing to verify; not tampering.</summary>
    Legacy,
    /// <summary>Some links present and valid, some lines without <c>prev_hash</c>.</summary>
    Partial,
    /// <summary>A recorded link does not match, or events.ndjson is missing.</summary>
    Broken,
}
