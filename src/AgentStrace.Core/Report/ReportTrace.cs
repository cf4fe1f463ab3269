using AgentStrace.Export;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Report;

/// <summary>A span and its depth in the trace's tree (0 = a root).</summary>
public sealed class ReportSpan(Span span, int depth)
{
    public Span Span { get; } = span;
    public int Depth { get; } = depth;
}

/// <summary>One trace of the report (a top-level session with its sub-agents): its spans in tree order with depths.</summary>
public sealed class ReportTrace(SessionInfo session, List<ReportSpan> spans)
{
    /// <summary>The session the trace is named after (the first planned session of the trace).</summary>
    public SessionInfo Session { get; } = session;

    /// <summary>Pre-order (parent before children, siblings by start time); a span whose parent is not in the trace is a root.</summary>
    public List<ReportSpan> Spans { get; } = spans;

    /// <summary>The trace's earliest start, which the page measures offsets from.</summary>
    public ulong Start => Spans.Count == 0 ? 0 : Spans.Min(s => s.Span.StartTimeUnixNano);

    /// <summary>Splits the pipeline's spans into traces, in plan order.</summary>
    public static List<ReportTrace> Group(IReadOnlyList<PlannedSession> plan, IEnumerable<Span> spans)
    {
        var byTrace = new Dictionary<string, List<Span>>(StringComparer.Ordinal);
        foreach (Span span in spans)
        {
            string key = Convert.ToHexStringLower(span.TraceId);
            if (!byTrace.TryGetValue(key, out var list)) byTrace[key] = list = [];
            list.Add(span);
        }
        var traces = new List<ReportTrace>();
        foreach (PlannedSession p in plan)
        {
            if (byTrace.Remove(Convert.ToHexStringLower(p.TraceId), out var list)) traces.Add(new ReportTrace(p.Session, TreeOrder(list)));
        }
        return traces;
    }

    private static List<ReportSpan> TreeOrder(List<Span> spans)
    {
        var ids = new HashSet<string>(spans.Select(s => Convert.ToHexStringLower(s.SpanId)), StringComparer.Ordinal);
        var children = new Dictionary<string, List<Span>>(StringComparer.Ordinal);
        var roots = new List<Span>();
        foreach (Span s in spans)
        {
            string parent = s.ParentSpanId.Length == 0 ? "" : Convert.ToHexStringLower(s.ParentSpanId);
            if (parent.Length == 0 || !ids.Contains(parent))
            {
                roots.Add(s);
                continue;
            }
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(s);
        }
        var ordered = new List<ReportSpan>(spans.Count);
        var stack = new Stack<ReportSpan>();
        foreach (Span root in roots.OrderByDescending(s => s.StartTimeUnixNano)) stack.Push(new ReportSpan(root, 0));
        // Iterative, so a deep chain of sub-agents cannot overflow the stack.
        while (stack.Count > 0)
        {
            ReportSpan next = stack.Pop();
            ordered.Add(next);
            if (children.Remove(Convert.ToHexStringLower(next.Span.SpanId), out var kids))
            {
                foreach (Span kid in kids.OrderByDescending(k => k.StartTimeUnixNano)) stack.Push(new ReportSpan(kid, next.Depth + 1));
            }
        }
        return ordered;
    }
}
