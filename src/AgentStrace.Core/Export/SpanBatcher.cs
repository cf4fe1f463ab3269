using AgentStrace.Spans;

namespace AgentStrace.Export;

/// <summary>
/// Collects spans into requests bounded by span count and an estimate of encoded bytes, and hands each full
/// request to the sink. A session split across requests repeats its resource in each.
/// </summary>
public sealed class SpanBatcher(ISpanBatchSink sink, int maxSpans = 512, int maxBytes = 4 * 1024 * 1024)
{
    // A new list per request: the sink may still be encoding the previous one (PipelinedSink).
    private List<ResourceSpans> _batch = [];
    private ResourceSpans? _current;
    private Func<ResourceSpans>? _newResource;
    private int _spans;
    private long _bytes;

    public long TotalSpans { get; private set; }
    public int Requests { get; private set; }

    public bool IsFull => _spans >= maxSpans || _bytes >= maxBytes;

    public void BeginSession(Func<ResourceSpans> newResource)
    {
        _newResource = newResource;
        _current = null;
    }

    public void Add(Span span)
    {
        if (_current is null)
        {
            _current = _newResource!();
            _batch.Add(_current);
            _bytes += 64 + EstimateAttributes(_current.Resource);
        }
        _current.Spans.Add(span);
        _spans++;
        TotalSpans++;
        _bytes += Estimate(span);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_spans == 0) return;
        await sink.WriteAsync(_batch, _spans, cancellationToken);
        Requests++;
        _batch = [];
        _current = null;
        _spans = 0;
        _bytes = 0;
    }

    private static long Estimate(Span s)
    {
        long n = 64 + s.Name.Length + s.StatusMessage.Length + EstimateAttributes(s.Attributes);
        foreach (SpanEvent e in s.Events) n += 24 + e.Name.Length + EstimateAttributes(e.Attributes);
        return n;
    }

    private static long EstimateAttributes(List<SpanAttribute> attributes)
    {
        long n = 0;
        foreach (SpanAttribute a in attributes)
        {
            // UTF-8 can take up to 3 bytes per UTF-16 unit; JSON escaping more. Over-estimating only splits earlier.
            n += 16 + a.Key.Length + 3L * a.Value.StoredLength;
            foreach (string item in a.Value.Array) n += 8 + 3L * item.Length;
        }
        return n;
    }
}
