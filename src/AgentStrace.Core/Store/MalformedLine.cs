namespace AgentStrace.Store;

/// <summary>A line that readers skipped: reported with file and line number, never fixed in place.</summary>
public readonly record struct MalformedLine(string File, long Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: skipped malformed event line ({Reason})";
}
