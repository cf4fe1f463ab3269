namespace AgentStrace.Capture.Import;

/// <summary>One API request in a transcript: all lines sharing message.id (+ requestId), usage deduplicated (Claude Code writes one line per content block, each repeating the usage).</summary>
public sealed class LlmCall
{
    public required string MessageId { get; init; }
    public string RequestId { get; set; } = "";
    public string Model { get; set; } = "";
    public string StopReason { get; set; } = "";
    public int FirstIndex { get; set; }

    /// <summary>The request's number in its stream (a streamed import's plan numbers them in the order they start).</summary>
    public int Number { get; set; }
    public int LastIndex { get; set; }
    public double StartTime { get; set; }
    public double EndTime { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long CacheCreationTokens { get; set; }
    public long CacheReadTokens { get; set; }
    public long Cache5m { get; set; }
    public long Cache1h { get; set; }
    public bool HasCacheSplit { get; set; }
    public string ServiceTier { get; set; } = "";
    public string Speed { get; set; } = "";
    public string InferenceGeo { get; set; } = "";
    public long WebSearchRequests { get; set; }
    public long WebFetchRequests { get; set; }
    public bool HasServerToolUse { get; set; }

    public long TotalTokens => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;

    public string Key => MessageId + "\n" + RequestId;
}
