namespace AgentStrace.Capture.Import;

/// <summary>
/// One session read from an agent's history file, ready to store. Every format's reader (Claude Code transcripts,
/// and others) produces these; <see cref="SessionImportWriter"/> stores them the same way.
/// </summary>
public sealed record ImportedSession(string SessionId, MappedSession Mapped, string Source, string Command)
{
    /// <summary>The agent name written to meta.json (<c>claude-code</c>, ...).</summary>
    public string AgentName { get; init; } = "claude-code";

    /// <summary>The parent session (sub-agents and compactions), or "".</summary>
    public string ParentSessionId { get; init; } = "";

    /// <summary>The parent's event that spawned it (the Task/Agent call), or "".</summary>
    public string ParentEventId { get; init; } = "";

    public bool IsChild => ParentSessionId.Length > 0;
}
