using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Analysis;

/// <summary>
/// Upstream's offline token estimate: <c>max(1, len(json.dumps(data)) // 4)</c> with Python's
/// default separators and ASCII escaping. Inputs: user_prompt, llm_request, tool_call; outputs: assistant_response,
/// llm_response, tool_result; other events count 0. Used only where real usage is missing.
/// </summary>
public static class HeuristicTokens
{
    public static long Of(JsonObject data)
    {
        // json.dumps escapes every non-ASCII char, so the result's length in chars equals its byte count.
        int length = PyJsonTranscoder.ToPython(data.Raw.Span, PyJsonStyle.Default).Length;
        return Math.Max(1, length / 4);
    }

    public static bool IsInput(EventType type) => type is EventType.UserPrompt or EventType.LlmRequest or EventType.ToolCall;

    public static bool IsOutput(EventType type) => type is EventType.AssistantResponse or EventType.LlmResponse or EventType.ToolResult;
}
