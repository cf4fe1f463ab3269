namespace AgentStrace.View;

/// <summary>
/// One step of a session as views show it: a tool call with its result, a model call with its response, or a single
/// event (prompt, answer, file write, an error no call owns). Offsets are seconds from the start of the top session.
/// </summary>
public sealed class TimelineRow
{
    /// <summary>The event type that opened the step (tool_call, llm_request, user_prompt, ...).</summary>
    public required string Type { get; init; }
    public required double Offset { get; init; }
    public required string SessionId { get; init; }
    public required string EventId { get; init; }
    /// <summary>Sub-agent depth below the replayed session (0 for its own steps).</summary>
    public int Depth { get; set; }
    /// <summary>The tool or model name.</summary>
    public string Name { get; set; } = "";
    /// <summary>The tool's key argument, the prompt or answer text, the file path.</summary>
    public string Detail { get; set; } = "";
    /// <summary>One-line summary of the tool's result or error.</summary>
    public string Result { get; set; } = "";
    public double? DurationMs { get; set; }
    public bool IsError { get; set; }
    /// <summary>The call has no result or response (still running, or the agent stopped).</summary>
    public bool Open { get; set; }
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public long? CacheReadTokens { get; set; }
    public long? CacheWriteTokens { get; set; }
    public double? CostUsd { get; set; }
    public bool CostEstimated { get; set; }
    /// <summary>Sub-agent sessions started by this tool call (an Agent/Task call), in start order.</summary>
    public List<SessionTimeline> Subagents { get; } = [];

    /// <summary>The short label views print in the type column.</summary>
    public string Label => Type switch
    {
        "user_prompt" => "prompt",
        "llm_request" or "llm_response" => "llm",
        "tool_call" => IsError ? "tool ✗" : "tool",
        "tool_result" => "result",
        "assistant_response" => "response",
        "file_write" => "write",
        "file_read" => "read",
        "session_start" => "start",
        "session_end" => "end",
        _ => Type,
    };
}
