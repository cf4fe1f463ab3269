using AgentStrace.Model;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>
/// A per-session hook of <see cref="TraceExporter"/>: sees each event just before the span builder does and each span
/// just before the batcher takes it (Langfuse adds the attributes it maps this way, on the one events→spans loop).
/// </summary>
public interface ISpanEnricher
{
    /// <summary>Sees an event before the builder; may return one extra span for the session (Langfuse event observations).</summary>
    Span? Observe(TraceEvent e);
    /// <summary>The events are over; the builder is about to close what is still open and emit the root.</summary>
    void EndSession();
    void Enrich(Span span);
}

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
            int number = index + 1;
            await ExportSessionAsync(plan[index], batcher, rootFirst, null, cancellationToken,
                () => progress.Report(() => $"exporting session {number}/{plan.Count}: {Events:N0} events, {batcher.TotalSpans:N0} spans"));
        }
        await batcher.FlushAsync(cancellationToken);
    }

    /// <summary>Streams one session into the batcher (flushing it whenever it is full, not at the end).</summary>
    /// <param name="enricher">Sees every event and span of this session, or null.</param>
    /// <param name="progress">Called every 4,096 events.</param>
    public async Task<SessionResult> ExportSessionAsync(PlannedSession p, SpanBatcher batcher, bool rootFirst, ISpanEnricher? enricher,
        CancellationToken cancellationToken, Action? progress = null)
    {
        long events = 0, spans = 0;
        string? killed = PostmortemFile.ReadReason(p.Session.Directory);
        var builder = new SessionSpanBuilder(options, p.Session.Meta, p.TraceId, p.RootParentSpanId) { KilledReason = killed };
        batcher.BeginSession(builder.NewResource);
        void Emit(Span span)
        {
            enricher?.Enrich(span);
            batcher.Add(span);
            spans++;
        }
        Span? root = null;
        if (rootFirst)
        {
            // The root-only first pass: malformed lines are reported by the second pass.
            var rootOnly = new SessionSpanBuilder(options, p.Session.Meta, p.TraceId, p.RootParentSpanId, children: false) { KilledReason = killed };
            // Only the event types that shape the root are parsed, unless its end depends on the last event.
            Func<EventType, bool>? only = rootOnly.RootNeedsEveryEvent ? null : SessionSpanBuilder.ShapesRoot;
            await foreach (var chunk in PrefetchingEventReader.ReadChunksAsync(p.Session.EventsPath, null, cancellationToken, only: only))
            {
                foreach (var e in chunk) rootOnly.Add(e, static _ => { });
            }
            root = rootOnly.BuildRoot();
            Emit(root);
        }
        await foreach (var chunk in PrefetchingEventReader.ReadChunksAsync(p.Session.EventsPath, onMalformed, cancellationToken,
                           prepare: TraceIds.PrecomputeSpanIds))
        {
            foreach (var e in chunk)
            {
                Events++;
                events++;
                if (enricher?.Observe(e) is { } extra)
                {
                    batcher.Add(extra);
                    spans++;
                }
                builder.Add(e, Emit);
                if ((events & 4095) == 0) progress?.Invoke();
                if (batcher.IsFull) await batcher.FlushAsync(cancellationToken);
            }
        }
        enricher?.EndSession();
        builder.Finish(span =>
        {
            if (root is null || !ReferenceEquals(span.SpanId, builder.RootSpanId)) Emit(span);
        });
        if (batcher.IsFull) await batcher.FlushAsync(cancellationToken);
        return new SessionResult(events, spans);
    }

    public readonly record struct SessionResult(long Events, long Spans);
}
