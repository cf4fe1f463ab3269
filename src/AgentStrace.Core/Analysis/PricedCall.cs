using AgentStrace.Analysis.Pricing;

namespace AgentStrace.Analysis;

/// <summary>One priced model request (or a whole heuristic session, with <see cref="Timestamp"/> NaN).</summary>
public readonly record struct PricedCall(string Model, double Timestamp, RequestUsage Usage, double Usd, bool Estimated);
