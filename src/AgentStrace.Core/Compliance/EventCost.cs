using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Compliance;

/// <summary>
/// Upstream's per-event token/cost heuristic: tokens = max(1, len(json.dumps(data)) // 4) for input and
/// output event types, priced with the sonnet row ($3 / $15 per million tokens).
/// </summary>
public static class EventCost
{
    public const double SonnetInput = 3.00, SonnetOutput = 15.00;

    public static bool IsInput(EventType t) => t is EventType.UserPrompt or EventType.LlmRequest or EventType.ToolCall;

    public static bool IsOutput(EventType t) => t is EventType.AssistantResponse or EventType.LlmResponse or EventType.ToolResult;

    /// <summary>(input, output) heuristic tokens of one event.</summary>
    public static (long Input, long Output) Tokens(TraceEvent e)
    {
        if (!IsInput(e.Type) && !IsOutput(e.Type)) return (0, 0);
        long n = Math.Max(1, PyJsonTranscoder.ToPython(e.Data.Raw.Span, PyJsonStyle.Default).Length / 4);
        return IsInput(e.Type) ? (n, 0) : (0, n);
    }

    /// <summary>Upstream's <c>_dollars(in, out, "sonnet")</c>, same operation order so the doubles match.</summary>
    public static double Dollars(long input, long output) => input / 1_000_000.0 * SonnetInput + output / 1_000_000.0 * SonnetOutput;

    /// <summary>The package's <c>cost_usd</c>: <c>round(cost, 8)</c>.</summary>
    public static double PackageCost(TraceEvent e)
    {
        var (i, o) = Tokens(e);
        return PyRound(Dollars(i, o), 8);
    }

    /// <summary>Python's correctly rounded <c>round(x, n)</c> via the exact decimal expansion .NET formats.</summary>
    public static double PyRound(double x, int digits) =>
        double.Parse(x.ToString("F" + digits, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
}
