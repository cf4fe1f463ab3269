using AgentStrace.Spans;

namespace AgentStrace.Otlp.Metrics;

/// <summary>An OTLP <c>NumberDataPoint</c> carrying a double.</summary>
public sealed record NumberPoint(List<SpanAttribute> Attributes, ulong StartTimeUnixNano, ulong TimeUnixNano, double Value);
