namespace AgentStrace.Analysis.Baseline;

/// <summary>One metric of a checked session: its value, the expected band, and its score in σ units.</summary>
public sealed record MetricCheck(string Name, double Value, double Centre, double Spread, double Low, double High, double Score, bool Anomalous);
