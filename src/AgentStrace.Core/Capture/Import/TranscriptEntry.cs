using AgentStrace.Json;

namespace AgentStrace.Capture.Import;

/// <summary>One parsed line of a Claude Code transcript. Absent fields are "" / default.</summary>
public sealed class TranscriptEntry
{
    public string Type { get; set; } = "";

    /// <summary>Byte offset of the entry's line in the transcript (where a bounded reader resumes).</summary>
    public long Offset { get; set; }
    public string Uuid { get; set; } = "";
    public string SessionId { get; set; } = "";
    public double Timestamp { get; set; }
    public bool IsSidechain { get; set; }
    public string AgentId { get; set; } = "";
    public bool IsMeta { get; set; }
    public bool IsCompactSummary { get; set; }
    public bool IsApiErrorMessage { get; set; }
    public string Error { get; set; } = "";
    public string Subtype { get; set; } = "";
    public double DurationMs { get; set; }
    public string Cwd { get; set; } = "";
    public string GitBranch { get; set; } = "";
    public string Version { get; set; } = "";
    public string RequestId { get; set; } = "";

    /// <summary>The <c>message</c> object (role, model, id, content, usage, stop_reason).</summary>
    public RawJsonObject Message
    {
        get => _message;
        set { _message = value; _messageId = _model = null; }
    }

    public RawJsonValue ToolUseResult { get; set; }

    /// <summary><c>data</c> of progress lines.</summary>
    public RawJsonObject Data { get; set; } = RawJsonObject.Empty;

    public string ParentToolUseId { get; set; } = "";

    // Read once: grouping and mapping ask for them on every line and block.
    public string MessageId => _messageId ??= Message.GetString("id"u8);
    public string Model => _model ??= Message.GetString("model"u8);

    private RawJsonObject _message = RawJsonObject.Empty;
    private string? _messageId, _model;
}
