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

    /// <summary>Runs the export pipeline (the same span builders as <c>export</c>) over a plan into memory.</summary>
    public static async Task<List<Span>> CollectAsync(IReadOnlyList<PlannedSession> plan, SpanOptions options, Action<Store.MalformedLine>? onMalformed,
        CancellationToken cancellationToken)
    {
        var sink = new CollectingSink();
        await new TraceExporter(options, onMalformed).ExportAsync(plan, new SpanBatcher(sink, int.MaxValue, int.MaxValue), rootFirst: false, cancellationToken);
        return sink.AllSpans.ToList();
    }
}
