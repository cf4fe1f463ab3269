using AgentStrace.Spans;

namespace AgentStrace.Export;

/// <summary>Where full span batches go: an OTLP endpoint, a file, stdout.</summary>
public interface ISpanBatchSink
{
    Task WriteAsync(IReadOnlyList<ResourceSpans> batch, int spanCount, CancellationToken cancellationToken);
    Task CompleteAsync(CancellationToken cancellationToken);
}
