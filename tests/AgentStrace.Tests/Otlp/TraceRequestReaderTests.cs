using AgentStrace.Otlp.Protobuf;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Otlp;

public sealed class TraceRequestReaderTests
{
    [Test]
    [Arguments(SpanFormat.GenAi, Semconv.Default)]
    [Arguments(SpanFormat.GenAi, Semconv.V141)]
    [Arguments(SpanFormat.Classic, Semconv.Default)]
    public async Task DecodeRequest_SampleStoreSpans_ReencodesToSameBytes(SpanFormat format, Semconv semconv)
    {
        var store = new TraceStore(Repo.SampleStore);
        int checkedSpans = 0;
        foreach (SessionInfo s in store.List())
        {
            var builder = new SessionSpanBuilder(new SpanOptions { Format = format, Semconv = semconv }, s.Meta, TraceIds.TraceId(s.Id));
            var spans = new List<Span>();
            foreach (var e in EventReader.ReadFile(s.EventsPath)) builder.Add(e, spans.Add);
            builder.Finish(spans.Add);
            foreach (Span span in spans)
            {
                ResourceSpans rs = builder.NewResource();
                rs.Spans.Add(span);
                using var first = new ProtoWriter(16);
                TraceRequestWriter.Write(first, [rs]);
                byte[] original = first.WrittenSpan.ToArray();
                using var second = new ProtoWriter(16);
                TraceRequestWriter.Write(second, TraceRequestReader.Read(original));
                await Assert.That(Convert.ToHexString(second.WrittenSpan)).IsEqualTo(Convert.ToHexString(original));
                checkedSpans++;
            }
        }
        await Assert.That(checkedSpans).IsGreaterThan(10);
    }

    [Test]
    public async Task DecodeRequest_Truncated_ThrowsFormatException()
    {
        var rs = new ResourceSpans();
        rs.Spans.Add(new Span { TraceId = new byte[16], SpanId = new byte[8], Name = "x" });
        using var w = new ProtoWriter();
        TraceRequestWriter.Write(w, [rs]);
        byte[] cut = w.WrittenSpan[..^3].ToArray();
        await Assert.That(() => TraceRequestReader.Read(cut)).Throws<FormatException>();
    }
}
