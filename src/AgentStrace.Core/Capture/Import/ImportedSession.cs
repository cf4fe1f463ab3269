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

    /// <summary>Nesting depth of a child (1 for a direct sub-agent).</summary>
    public long Depth { get; init; } = 1;

    /// <summary>meta.json's attribution block for a new session (agent version, git, working directory), or null.</summary>
    public Json.RawJsonValue? Attribution { get; init; }

    public bool IsChild => ParentSessionId.Length > 0;

    /// <summary>
    /// The events read while they are stored (Codex, Gemini CLI): <see cref="Mapped"/>'s totals are final once it has
    /// been enumerated, and a stream that yields nothing is a file without activity, which stores nothing.
    /// </summary>
    public IEnumerable<Model.TraceEvent>? Stream { get; init; }

    public IEnumerable<Model.TraceEvent> Events => Stream ?? Mapped.Events;

    /// <summary>
    /// A <see cref="Stream"/> that yields nothing is still a session (its session_end and meta.json are stored), and a
    /// new one is staged and published whole (Claude Code transcripts, as before they were streamed).
    /// </summary>
    public bool KeepEmpty { get; init; }
}
