using AgentStrace.Spans;

namespace AgentStrace.Export;

/// <summary>Keeps every batch in memory (demo, dry runs, tests).</summary>
public sealed class CollectingSink : ISpanBatchSink
{
    public List<ResourceSpans> Resources { get; } = [];

    public Task WriteAsync(IReadOnlyList<ResourceSpans> batch, int spanCount, CancellationToken cancellationToken)
    {
        foreach (ResourceSpans r in batch)
        {
            var copy = new ResourceSpans { ScopeName = r.ScopeName, ScopeVersion = r.ScopeVersion, SchemaUrl = r.SchemaUrl };
            copy.Resource.AddRange(r.Resource);
            copy.Spans.AddRange(r.Spans);
            Resources.Add(copy);
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IEnumerable<Span> AllSpans => Resources.SelectMany(r => r.Spans);
}
