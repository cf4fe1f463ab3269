using AgentStrace.Spans;

namespace AgentStrace.Export;

/// <summary>
/// Encodes and delivers one batch in the background while the next batch is being built: the export uses a second
/// core for encoding (and overlaps network round trips) instead of alternating. At most one batch is in flight, so
/// memory stays bounded and the inner sink is never used concurrently. A failure surfaces on the next call.
/// </summary>
public sealed class PipelinedSink(ISpanBatchSink inner) : ISpanBatchSink
{
    private Task _pending = Task.CompletedTask;

    public async Task WriteAsync(IReadOnlyList<ResourceSpans> batch, int spanCount, CancellationToken cancellationToken)
    {
        await _pending;
        _pending = Task.Run(() => inner.WriteAsync(batch, spanCount, cancellationToken), cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _pending;
        await inner.CompleteAsync(cancellationToken);
    }

    /// <summary>Waits for the batch in flight (before reading the inner sink's results).</summary>
    public Task DrainAsync() => _pending;
}
