using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>Streams planned sessions through span builders into a batcher.</summary>
public sealed class TraceExporter(SpanOptions options, Action<MalformedLine>? onMalformed = null)
{
    public long Events { get; private set; }

    /// <param name="rootFirst">Build each root span in a first pass so it leads the session's spans (file output, like upstream).</param>
    public async Task ExportAsync(IReadOnlyList<PlannedSession> plan, SpanBatcher batcher, bool rootFirst, CancellationToken cancellationToken)
    {
        using var progress = new Output.TerminalProgress();
        for (int index = 0; index < plan.Count; index++)
        {
            PlannedSession p = plan[index];
            string? killed = Live.Watchdog.Postmortem.ReadReason(p.Session.Directory);
            var builder = new SessionSpanBuilder(options, p.Session.Meta, p.TraceId, p.RootParentSpanId) { KilledReason = killed };
            batcher.BeginSession(builder.NewResource);
            Span? root = null;
            if (rootFirst)
            {
                // The root-only first pass: malformed lines are reported by the second pass.
                var rootOnly = new SessionSpanBuilder(options, p.Session.Meta, p.TraceId, p.RootParentSpanId, children: false) { KilledReason = killed };
                // Only the event types that shape the root are parsed, unless its end depends on the last event.
                Func<Model.EventType, bool>? only = rootOnly.RootNeedsEveryEvent ? null : SessionSpanBuilder.ShapesRoot;
                await foreach (var chunk in PrefetchingEventReader.ReadChunksAsync(p.Session.EventsPath, null, cancellationToken, only: only))
                {
                    foreach (var e in chunk) rootOnly.Add(e, static _ => { });
                }
                root = rootOnly.BuildRoot();
                batcher.Add(root);
            }
            await foreach (var chunk in PrefetchingEventReader.ReadChunksAsync(p.Session.EventsPath, onMalformed, cancellationToken,
                               prepare: TraceIds.PrecomputeSpanIds))
            {
                foreach (var e in chunk)
                {
                    Events++;
                    builder.Add(e, batcher.Add);
                    if ((Events & 4095) == 0) progress.Report(() => $"exporting session {index + 1}/{plan.Count}: {Events:N0} events, {batcher.TotalSpans:N0} spans");
                    if (batcher.IsFull) await batcher.FlushAsync(cancellationToken);
                }
            }
            builder.Finish(span =>
            {
                if (root is null || !ReferenceEquals(span.SpanId, builder.RootSpanId)) batcher.Add(span);
            });
            if (batcher.IsFull) await batcher.FlushAsync(cancellationToken);
        }
        await batcher.FlushAsync(cancellationToken);
    }
}
