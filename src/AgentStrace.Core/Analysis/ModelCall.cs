using AgentStrace.Model;

namespace AgentStrace.Analysis;

/// <summary>One model call of a session: its model, usage (recorded, or estimated when none was recorded) and duration.</summary>
public readonly record struct ModelCall(string Model, LlmUsage Usage, bool Estimated, double? DurationS, double Timestamp);
