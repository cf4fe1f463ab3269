using AgentStrace.Analysis;
using AgentStrace.Otlp.Metrics;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>
/// Builds the metrics payload of <c>export --metrics</c>: one gauge point per session and metric
/// (<c>agent_strace.session.*</c>, attributes agent, model, session; <c>agent_strace.eval.score</c> per judge with
/// <c>--scores</c>) and the GenAI v1.41 client histograms aggregated over every recorded model call.
/// </summary>
/// <remarks>
/// Histograms carry recorded usage only: calls without usage are left out (GenAI semconv: do not report usage the
/// instrumentation cannot get). Their start time is the first call's time, so with cumulative temporality a
/// re-export of the same window restates the same series instead of adding to it.
/// </remarks>
public sealed class MetricsPayloadBuilder(SessionAnalyzer analyzer, int temporality, ulong nowUnixNano, bool scores, Action<string>? warn = null)
{
    public const string SessionPrefix = "agent_strace.session.";
    public const string EvalScore = "agent_strace.eval.score";
    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string OperationDuration = "gen_ai.client.operation.duration";

    /// <summary>GenAI semconv v1.41 advice for <c>gen_ai.client.token.usage</c>.</summary>
    public static readonly double[] TokenBounds = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    /// <summary>GenAI semconv v1.41 advice for <c>gen_ai.client.operation.duration</c> (seconds).</summary>
    public static readonly double[] DurationBounds = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    private static readonly (string Name, string Description)[] s_gauges =
    [
        (SessionMetrics.CostUsd, "Cost per session from recorded token usage (estimated where usage is missing)"),
        (SessionMetrics.ErrorRate, "Errors / tool calls"),
        (SessionMetrics.RetryRate, "Consecutive same-tool retries / tool calls"),
        (SessionMetrics.BlastRadius, "Distinct files written"),
        (SessionMetrics.DurationS, "Wall-clock session duration"),
        (SessionMetrics.ToolCalls, "Tool calls per session"),
    ];

    private readonly Dictionary<string, HistogramPoint> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HistogramPoint> _durations = new(StringComparer.Ordinal);
    private ulong _firstCall = ulong.MaxValue;

    public int Sessions { get; private set; }

    /// <summary>The histograms' start time instead of the first call's (the shipper gives the session's start, so a
    /// re-send of a finished session is the same cumulative point).</summary>
    public ulong? StartUnixNano { get; init; }

    public ResourceMetricsData Build(IEnumerable<SessionInfo> sessions, List<SpanAttribute> resource)
    {
        var data = new ResourceMetricsData { Resource = resource };
        var gauges = s_gauges.Select(g => new MetricData { Name = SessionPrefix + g.Name, Description = g.Description, Unit = SessionMetrics.Unit(g.Name), Kind = MetricKind.Gauge }).ToArray();
        var eval = new MetricData { Name = EvalScore, Description = "Judge score per session (eval.json)", Unit = "1", Kind = MetricKind.Gauge };
        foreach (SessionInfo session in sessions)
        {
            Sessions++;
            SessionMetrics m = analyzer.Analyze(session, call => AddCall(call, session.Meta.AgentName)).Metrics;
            List<SpanAttribute> attributes = [SpanAttribute.Of("agent", m.Agent), SpanAttribute.Of("model", m.Model), SpanAttribute.Of("session", m.SessionId)];
            for (int i = 0; i < s_gauges.Length; i++) gauges[i].Points.Add(new NumberPoint(attributes, 0, nowUnixNano, m.Get(s_gauges[i].Name)));
            if (!scores) continue;
            foreach (Analysis.EvalScore s in EvalScoreReader.Read(session.Directory, warn))
            {
                eval.Points.Add(new NumberPoint([.. attributes, SpanAttribute.Of("judge", s.Judge)], 0, nowUnixNano, s.Score));
            }
        }
        data.Metrics.AddRange(gauges);
        if (eval.Points.Count > 0) data.Metrics.Add(eval);
        AddHistogram(data, TokenUsage, "Number of input and output tokens used", "{token}", _tokens);
        AddHistogram(data, OperationDuration, "GenAI operation duration", "s", _durations);
        return data;
    }

    private void AddCall(ModelCall call, string agent)
    {
        if (call.Estimated) return;
        string provider = AttributeMapper.ProviderName(AttributeMapper.SystemFromModel(call.Model, AttributeMapper.SystemFromAgent(agent)));
        if (provider.Length == 0) provider = "unknown";
        ulong at = OtlpTime.Nanos(call.Timestamp);
        _firstCall = Math.Min(_firstCall, at);
        if (call.Usage.HasInput) Point(_tokens, TokenBounds, call.Model, provider, "input").Record(call.Usage.InputTokens);
        if (call.Usage.HasOutput) Point(_tokens, TokenBounds, call.Model, provider, "output").Record(call.Usage.OutputTokens);
        if (call.DurationS is { } seconds) Point(_durations, DurationBounds, call.Model, provider, null).Record(seconds);
    }

    private static HistogramPoint Point(Dictionary<string, HistogramPoint> points, double[] bounds, string model, string provider, string? tokenType)
    {
        string key = model + "\n" + provider + "\n" + tokenType;
        if (points.TryGetValue(key, out HistogramPoint? p)) return p;
        List<SpanAttribute> attributes =
        [
            SpanAttribute.Of("gen_ai.operation.name", "chat"),
            SpanAttribute.Of("gen_ai.provider.name", provider),
            SpanAttribute.Of("gen_ai.request.model", model),
        ];
        if (tokenType is not null) attributes.Add(SpanAttribute.Of("gen_ai.token.type", tokenType));
        p = new HistogramPoint(attributes, bounds);
        points[key] = p;
        return p;
    }

    private void AddHistogram(ResourceMetricsData data, string name, string description, string unit, Dictionary<string, HistogramPoint> points)
    {
        if (points.Count == 0) return;
        var metric = new MetricData { Name = name, Description = description, Unit = unit, Kind = MetricKind.Histogram, Temporality = temporality };
        foreach (HistogramPoint p in points.Values)
        {
            p.StartTimeUnixNano = Math.Min(StartUnixNano ?? _firstCall, nowUnixNano);
            p.TimeUnixNano = nowUnixNano;
            metric.HistogramPoints.Add(p);
        }
        data.Metrics.Add(metric);
    }
}
