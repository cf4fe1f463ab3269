using System.Buffers;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Live.Watchdog;

/// <summary>
/// The watch cost heuristic (upstream's heuristic, sonnet prices): tokens of an event = max(1, len(json.dumps(data)) // 4)
/// for input events (user_prompt, llm_request, tool_call) and output events (assistant_response, llm_response,
/// tool_result); dollars = in/1e6 × $3 + out/1e6 × $15.
/// </summary>
public static class HeuristicCost
{
    public const double InputPerMillion = 3.00;
    public const double OutputPerMillion = 15.00;

    public static double Dollars(TraceEvent e)
    {
        bool input = e.Type is EventType.UserPrompt or EventType.LlmRequest or EventType.ToolCall;
        bool output = e.Type is EventType.AssistantResponse or EventType.LlmResponse or EventType.ToolResult;
        if (!input && !output) return 0;
        long tokens = Math.Max(1, PythonJsonLength(e.Data) / 4);
        return tokens / 1e6 * (input ? InputPerMillion : OutputPerMillion);
    }

    // json.dumps with ensure_ascii: every char is one ASCII byte, so the byte count is Python's len().
    private static int PythonJsonLength(JsonObject data)
    {
        var buffer = new ArrayBufferWriter<byte>(data.Raw.Length + 64);
        new PyJsonWriter(buffer, PyJsonStyle.Default).WriteJsonValue(data.Raw.Span);
        return buffer.WrittenCount;
    }
}
