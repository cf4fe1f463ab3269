using AgentStrace.Export;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Langfuse;

/// <summary>
/// Streams one planned session through the otlp-genai span builder, enriches every span for Langfuse and flushes
/// the batcher at the end, so a session reported as exported has had all its spans delivered.
/// </summary>
public sealed class LangfuseTraceExporter(SpanOptions options, bool noContent, Action<MalformedLine>? onMalformed = null,
    Analysis.Pricing.PricingTable? pricing = null)
{
    public async Task<SessionResult> ExportAsync(PlannedSession planned, LangfuseTraceContext context, SpanBatcher batcher, CancellationToken cancellationToken)
    {
        var builder = new SessionSpanBuilder(options, planned.Session.Meta, planned.TraceId, planned.RootParentSpanId)
        {
            KilledReason = Live.Watchdog.Postmortem.ReadReason(planned.Session.Directory),
        };
        var enricher = new LangfuseSpanEnricher(context, planned.Session.Meta, noContent, pricing, planned.TraceId);
        long events = 0, spans = 0;
        batcher.BeginSession(builder.NewResource);
        void Emit(Span span)
        {
            enricher.Enrich(span);
            batcher.Add(span);
            spans++;
        }
        await foreach (var chunk in PrefetchingEventReader.ReadChunksAsync(planned.Session.EventsPath, onMalformed, cancellationToken,
                           prepare: TraceIds.PrecomputeSpanIds))
        {
            foreach (var e in chunk)
            {
                events++;
                if (enricher.Observe(e) is { } observation)
                {
                    batcher.Add(observation);
                    spans++;
                }
                builder.Add(e, Emit);
                if (batcher.IsFull) await batcher.FlushAsync(cancellationToken);
            }
        }
        enricher.Finishing();
        builder.Finish(Emit);
        await batcher.FlushAsync(cancellationToken);
        return new SessionResult(events, spans);
    }

    public readonly record struct SessionResult(long Events, long Spans);
}
