using System.Diagnostics;
using System.Globalization;
using AgentStrace.Export;
using AgentStrace.Model;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Bench;

/// <summary>Where export time goes: parse only, parse + span building, parse + build + protobuf encoding.</summary>
public static class ExportBench
{
    public static Task<int> RunAsync(string[] a)
    {
        var store = new TraceStore(a[1]);
        SessionInfo s = store.Find(a[2]);
        int repeat = a.Length > 3 ? int.Parse(a[3], CultureInfo.InvariantCulture) : 3;
        for (int r = 0; r < repeat; r++)
        {
            double parse = Time(() => { using var reader = new EventReader(s.EventsPath); while (reader.TryRead(out _)) { } });
            long spans = 0;
            double build = Time(() =>
            {
                var b = new SessionSpanBuilder(new SpanOptions(), s.Meta, TraceIds.TraceId(s.Id));
                using var reader = new EventReader(s.EventsPath);
                while (reader.TryRead(out TraceEvent e)) b.Add(e, _ => spans++);
                b.Finish(_ => spans++);
            });
            long bytes = 0;
            double encode = Time(() =>
            {
                var b = new SessionSpanBuilder(new SpanOptions(), s.Meta, TraceIds.TraceId(s.Id));
                using var proto = new ProtoWriter();
                var batch = b.NewResource();
                var list = new List<ResourceSpans> { batch };
                void Emit(Span span)
                {
                    batch.Spans.Add(span);
                    if (batch.Spans.Count < 512) return;
                    proto.Reset();
                    TraceRequestWriter.Write(proto, list);
                    bytes += proto.Length;
                    batch.Spans.Clear();
                }
                using var reader = new EventReader(s.EventsPath);
                while (reader.TryRead(out TraceEvent e)) b.Add(e, Emit);
                b.Finish(Emit);
            });
            Console.WriteLine(FormattableString.Invariant(
                $"parse {parse * 1000:0} ms | +build {spans} spans {build * 1000:0} ms | +encode {bytes / 1e6:0.0} MB protobuf {encode * 1000:0} ms"));
        }
        return Task.FromResult(0);
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }
}
