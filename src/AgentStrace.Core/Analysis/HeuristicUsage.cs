using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Analysis;

/// <summary>
/// Upstream's offline usage estimate, used only where real usage is missing (cost reports, the watchdog's budget, the
/// EU AI Act package): tokens of an event = <c>max(1, len(json.dumps(data)) // 4)</c> with Python's default separators
/// and ASCII escaping, for input events (user_prompt, llm_request, tool_call) and output events (assistant_response,
/// llm_response, tool_result); other events count 0. Priced with the sonnet row, $3 / $15 per million tokens.
/// </summary>
public static class HeuristicUsage
{
    public const double InputPerMillion = 3.00, OutputPerMillion = 15.00;

    public static bool IsInput(EventType type) => type is EventType.UserPrompt or EventType.LlmRequest or EventType.ToolCall;

    public static bool IsOutput(EventType type) => type is EventType.AssistantResponse or EventType.LlmResponse or EventType.ToolResult;

    /// <summary>The estimate for one event payload, whatever its type.</summary>
    public static long Of(RawJsonObject data)
    {
        // json.dumps escapes every non-ASCII char, so its length in chars is the byte count written here.
        var counter = new CountingBufferWriter();
        PyJsonTranscoder.Transcode(data.Raw.Span, new PyJsonWriter(counter, PyJsonStyle.Default));
        return Math.Max(1, counter.Count / 4);
    }

    /// <summary>(input, output) tokens of one event: one of them is 0, both are for other event types.</summary>
    public static (long Input, long Output) Tokens(TraceEvent e)
    {
        if (IsInput(e.Type)) return (Of(e.Data), 0);
        return IsOutput(e.Type) ? (0, Of(e.Data)) : (0, 0);
    }

    /// <summary>Upstream's <c>_dollars(in, out, "sonnet")</c>, same operation order so the doubles match.</summary>
    public static double Dollars(long input, long output) => input / 1_000_000.0 * InputPerMillion + output / 1_000_000.0 * OutputPerMillion;

    public static double Dollars(TraceEvent e)
    {
        (long input, long output) = Tokens(e);
        return Dollars(input, output);
    }
}
