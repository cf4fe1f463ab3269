namespace AgentStrace.Capture.Import;

/// <summary>What one import did to one session.</summary>
public sealed record ImportResult(string SessionId, bool IsSubagent, int NewEvents, long ToolCalls, long LlmRequests, long TotalTokens, long Errors);
