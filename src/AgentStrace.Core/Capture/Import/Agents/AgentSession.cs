namespace AgentStrace.Capture.Import.Agents;

/// <summary>One session read from another agent's files (Codex, Gemini CLI), ready for <see cref="AgentSessionWriter"/>.</summary>
public sealed class AgentSession
{
    public required string SessionId { get; init; }

    /// <summary><c>codex</c> or <c>gemini-cli</c>: the meta.json <c>agent_name</c> that exports, baselines and the audit package key on.</summary>
    public required string Agent { get; init; }

    /// <summary>The model provider (<c>openai</c>, <c>google</c>) as the agent reports it.</summary>
    public required string Provider { get; init; }

    public required string Source { get; init; }
    public MappedSession Mapped { get; } = new();
    public string Command { get; set; } = "";
    public string Cwd { get; set; } = "";
    public string Version { get; set; } = "";
    public string GitRepo { get; set; } = "";
    public string GitCommit { get; set; } = "";
    public string ParentSessionId { get; set; } = "";
    public string ParentEventId { get; set; } = "";
    public long Depth { get; set; }

    /// <summary>False when the file holds no real activity (a Gemini resume orphan, a Codex file with only its meta).</summary>
    public bool HasActivity { get; set; }
}
