using System.Buffers;
using AgentStrace.Output;
using AgentStrace.Spans;
using Utf8StringInterpolation;

namespace AgentStrace.View;

/// <summary>Prints spans as an indented tree (parent → children, by start time), as a backend's trace view would show them.</summary>
public static class SpanTree
{
    public static void Write(IEnumerable<Span> spans, IBufferWriter<byte> output)
    {
        var all = spans.ToList();
        var ids = all.Select(s => Convert.ToHexStringLower(s.SpanId)).ToHashSet();
        var byParent = all.GroupBy(s => s.ParentSpanId.Length == 0 ? "" : Convert.ToHexStringLower(s.ParentSpanId))
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartTimeUnixNano).ToList());
        var roots = all.Where(s => s.ParentSpanId.Length == 0 || !ids.Contains(Convert.ToHexStringLower(s.ParentSpanId)))
            .OrderBy(s => s.StartTimeUnixNano).ToList();
        foreach (Span root in roots)
        {
            Utf8String.Format(output, $"trace {Convert.ToHexStringLower(root.TraceId)}\n");
            WriteNode(root, 0, root.StartTimeUnixNano, byParent, output);
        }
    }

    private static void WriteNode(Span span, int depth, ulong t0, Dictionary<string, List<Span>> byParent, IBufferWriter<byte> output)
    {
        double offset = (span.StartTimeUnixNano - Math.Min(t0, span.StartTimeUnixNano)) / 1e9;
        double ms = (span.EndTimeUnixNano - span.StartTimeUnixNano) / 1e6;
        string status = span.Status switch { StatusCode.Error => span.StatusMessage.Length > 0 ? "  ERROR " + Text.Clip(span.StatusMessage, 60) : "  ERROR", StatusCode.Ok => "", _ => "  (unfinished)" };
        string indent = new(' ', 2 + depth * 2);
        Utf8String.Format(output, $"{indent}{span.Name,-44} +{offset,7:0.000}s {SessionViews.FormatDuration(ms),8}{Detail(span)}{status}\n");
        if (byParent.TryGetValue(Convert.ToHexStringLower(span.SpanId), out var children))
        {
            foreach (Span child in children) WriteNode(child, depth + 1, t0, byParent, output);
        }
    }

    private static string Detail(Span span)
    {
        long input = 0, output = 0;
        foreach (SpanAttribute a in span.Attributes)
        {
            if (a.Key == "gen_ai.usage.input_tokens") input = a.Value.Int;
            else if (a.Key == "gen_ai.usage.output_tokens") output = a.Value.Int;
        }
        return input > 0 || output > 0 ? $"  {input} in / {output} out tokens" : "";
    }
}
