namespace AgentStrace.Spans;

/// <summary>
/// Span events under a count limit: keeps the first half and the most recent half (a session's opening prompt and its
/// final answer both survive) and counts the rest as dropped, so memory stays flat however long the session runs.
/// </summary>
public sealed class BoundedEvents(int limit)
{
    private readonly List<SpanEvent> _head = [];
    private readonly Queue<SpanEvent> _tail = new();
    private readonly int _headLimit = Math.Max(0, limit) - Math.Max(0, limit) / 2;
    private readonly int _tailLimit = Math.Max(0, limit) / 2;

    public uint Dropped { get; private set; }

    public void Add(SpanEvent e)
    {
        if (_head.Count < _headLimit)
        {
            _head.Add(e);
            return;
        }
        if (_tailLimit == 0)
        {
            Dropped++;
            return;
        }
        if (_tail.Count == _tailLimit)
        {
            _tail.Dequeue();
            Dropped++;
        }
        _tail.Enqueue(e);
    }

    public void CopyTo(Span span)
    {
        span.Events.AddRange(_head);
        span.Events.AddRange(_tail);
        span.DroppedEventsCount = Dropped;
    }
}
