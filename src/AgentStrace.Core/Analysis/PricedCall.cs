using AgentStrace.Analysis.Pricing;

namespace AgentStrace.Analysis;

/// <summary>One priced model request (or a whole heuristic session, with <see cref="Timestamp"/> NaN).</summary>
public readonly struct PricedCall(string model, double timestamp, RequestUsage usage, double usd, bool estimated)
{
    public string Model { get; } = model;
    public double Timestamp { get; init; } = timestamp;
    public RequestUsage Usage { get; } = usage;
    public double Usd { get; } = usd;
    public bool Estimated { get; } = estimated;
}
