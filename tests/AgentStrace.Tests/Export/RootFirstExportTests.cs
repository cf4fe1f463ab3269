using AgentStrace.Export;
using AgentStrace.Model;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Export;

/// <summary>
/// A JSON file export builds the root in a first pass (so it leads, as upstream writes it); that root must be the one
/// the single-pass export (protobuf, endpoints) sends, token totals and end time included.
/// </summary>
public sealed class RootFirstExportTests
{
    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task RootFirst_GivesTheSameSpans_AsOnePass(string session, SpanFormat format, bool dropEnd)
    {
        using TempDir temp = Repo.CopySampleStore();
        var store = new TraceStore(temp.Path);
        if (dropEnd)
        {
            // Without an end in meta.json the root ends at the last event: the first pass must then read them all.
            SessionInfo info = store.Find(session);
            info.Meta.EndedAt = null;
            info.Meta.TotalDurationMs = 0;
            TraceStore.WriteMeta(info.Directory, info.Meta);
        }
        var plan = TraceExportPlan.Build(store, [store.Find(session)]);
        var options = new SpanOptions { Format = format };

        byte[] onePass = await Export(plan, options, rootFirst: false);
        byte[] rootFirst = await Export(plan, options, rootFirst: true);
        await Assert.That(Convert.ToHexString(rootFirst)).IsEqualTo(Convert.ToHexString(onePass));
    }

    public static IEnumerable<Func<(string, SpanFormat, bool)>> Cases()
    {
        foreach (string session in Repo.SampleSessions)
        {
            foreach (SpanFormat format in new[] { SpanFormat.Classic, SpanFormat.GenAi })
            {
                yield return () => (session, format, false);
                yield return () => (session, format, true);
            }
        }
    }

    // The spans ordered by id (the two modes emit roots at different places), encoded: equal bytes = equal spans.
    private static async Task<byte[]> Export(List<PlannedSession> plan, SpanOptions options, bool rootFirst)
    {
        var sink = new CollectingSink();
        await new TraceExporter(options).ExportAsync(plan, new SpanBatcher(sink, int.MaxValue, int.MaxValue), rootFirst, default);
        using var writer = new ProtoWriter();
        foreach (Span s in sink.AllSpans.OrderBy(s => Convert.ToHexString(s.SpanId), StringComparer.Ordinal))
        {
            int bookmark = writer.BeginMessage(OtlpFieldNumbers.ScopeSpans_Spans);
            TraceRequestWriter.WriteSpan(writer, s);
            writer.EndMessage(bookmark);
        }
        return writer.WrittenSpan.ToArray();
    }
}
