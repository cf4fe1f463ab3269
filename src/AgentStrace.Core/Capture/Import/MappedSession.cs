using AgentStrace.Capture.Redaction;
using AgentStrace.Model;

namespace AgentStrace.Capture.Import;

/// <summary>The events and totals mapped from one transcript stream (the main thread or one sub-agent).</summary>
public sealed class MappedSession
{
    /// <summary>Redacts text before the mapper cuts it (see <see cref="Redactor.Cut"/>).</summary>
    public Redactor Redactor { get; init; } = Redactor.Off;

    /// <summary>The events mapped (a streamed mapper's events of the line at hand).</summary>
    public List<TraceEvent> Events { get; } = [];

    /// <summary>A streamed mapping ran to its end: the totals are final.</summary>
    public bool Complete { get; set; }

    /// <summary>
    /// Every event in <see cref="Events"/> already went through <see cref="Redactor"/> (each string and JSON value), so
    /// the writer does not redact it a second time; false for mappers that leave it to the writer.
    /// </summary>
    public bool Redacted { get; init; }

    /// <summary>The last request may still be streaming and was left out: read the file again next time.</summary>
    public bool HeldBack { get; set; }
    public long ToolCalls { get; set; }
    public long LlmRequests { get; set; }
    public long Errors { get; set; }
    public long TotalTokens { get; set; }
    public double Start { get; set; }
    public double End { get; set; }
    public double TurnDurationMs { get; set; }
    public string GitBranch { get; set; } = "";
    public string Version { get; set; } = "";
    /// <summary>The working directory the agent ran in (the project), or "".</summary>
    public string Cwd { get; set; } = "";

    /// <summary>agentId → the Task/Agent tool_use id that spawned it.</summary>
    public Dictionary<string, string> AgentSpawns { get; } = new(StringComparer.Ordinal);

    /// <summary>Task/Agent tool_use id → subagent_type.</summary>
    public Dictionary<string, string> SubagentTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>Back to no events and zero totals, before a mapping starts (again). <see cref="HeldBack"/> stays.</summary>
    public void Reset()
    {
        Events.Clear();
        AgentSpawns.Clear();
        SubagentTypes.Clear();
        Complete = false;
        ToolCalls = LlmRequests = Errors = TotalTokens = 0;
        Start = End = TurnDurationMs = 0;
        GitBranch = Version = Cwd = "";
    }
}
