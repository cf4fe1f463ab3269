using AgentStrace.Otlp.Metrics;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Otlp;

/// <summary>The generated OTLP codec (<c>otlp.protoschema</c>): readers give back what the writers wrote, sizes are exact.</summary>
public sealed class OtlpProtobufCodecTests
{
    [Test]
    [Arguments(SpanFormat.GenAi, Semconv.Default)]
    [Arguments(SpanFormat.GenAi, Semconv.V141)]
    [Arguments(SpanFormat.Classic, Semconv.Default)]
    public async Task ReadExportTraceServiceRequest_SampleStoreSpans_ReencodesToSameBytes(SpanFormat format, Semconv semconv)
    {
        int checkedSpans = 0;
        foreach (ResourceSpans rs in SampleStoreSpans(format, semconv))
        {
            using var first = new ProtoWriter(16);
            TraceRequestWriter.Write(first, [rs]);
            byte[] original = first.WrittenSpan.ToArray();
            using var second = new ProtoWriter(16);
            TraceRequestWriter.Write(second, OtlpProtobuf.ReadExportTraceServiceRequest(original));
            await Assert.That(Convert.ToHexString(second.WrittenSpan)).IsEqualTo(Convert.ToHexString(original));
            checkedSpans++;
        }
        await Assert.That(checkedSpans).IsGreaterThan(10);
    }

    [Test]
    public async Task ReadExportTraceServiceRequest_Truncated_ThrowsFormatException()
    {
        var rs = new ResourceSpans();
        rs.Spans.Add(new Span { TraceId = new byte[16], SpanId = new byte[8], Name = "x" });
        using var w = new ProtoWriter();
        TraceRequestWriter.Write(w, [rs]);
        byte[] cut = w.WrittenSpan[..^3].ToArray();
        await Assert.That(() => OtlpProtobuf.ReadExportTraceServiceRequest(cut)).Throws<FormatException>();
    }

    [Test]
    public async Task ReadSpan_AllFieldsTheWriterWrites_RoundTrip()
    {
        var span = new Span
        {
            TraceId = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(), SpanId = [1, 2, 3, 4, 5, 6, 7, 8], ParentSpanId = [8, 7, 6, 5, 4, 3, 2, 1],
            Name = "tool: Bash", Kind = SpanKind.Client, StartTimeUnixNano = 1, EndTimeUnixNano = ulong.MaxValue, Flags = 0x301,
            DroppedEventsCount = 7, Status = StatusCode.Error, StatusMessage = "boom",
        };
        span.Attributes.Add(SpanAttribute.Of("s", "日本"));
        span.Attributes.Add(SpanAttribute.Of("n", -5L));
        span.Attributes.Add(SpanAttribute.Of("b", true));
        span.Attributes.Add(SpanAttribute.Of("d", 2.5));
        span.Attributes.Add(new SpanAttribute("a", AttributeValue.Of(["x", new string('y', 300)])));
        var e = new SpanEvent("exception", 42);
        e.Attributes.Add(SpanAttribute.Of("exception.message", new string('m', 200)));
        span.Events.Add(e);

        using var writer = new ProtoWriter(16);
        OtlpProtobuf.WriteSpan(writer, span);
        Span back = OtlpProtobuf.ReadSpan(writer.WrittenSpan);
        using var again = new ProtoWriter(16);
        OtlpProtobuf.WriteSpan(again, back);

        await Assert.That(Convert.ToHexString(again.WrittenSpan)).IsEqualTo(Convert.ToHexString(writer.WrittenSpan));
        await Assert.That(back.DroppedEventsCount).IsEqualTo(7u);
        await Assert.That(back.Flags).IsEqualTo(0x301u);
        await Assert.That(back.Attributes[4].Value.Array).IsEquivalentTo(new[] { "x", new string('y', 300) }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    [Arguments(SpanFormat.GenAi, Semconv.Default)]
    [Arguments(SpanFormat.Classic, Semconv.Default)]
    public async Task Size_EqualsTheBytesWritten(SpanFormat format, Semconv semconv)
    {
        foreach (ResourceSpans rs in SampleStoreSpans(format, semconv))
        {
            using var writer = new ProtoWriter(16);
            OtlpProtobuf.WriteExportTraceServiceRequest(writer, [rs, rs]);
            await Assert.That(OtlpProtobuf.SizeExportTraceServiceRequest([rs, rs])).IsEqualTo(writer.Length);
            writer.Reset();
            OtlpProtobuf.WriteSpan(writer, rs.Spans[0]);
            await Assert.That(OtlpProtobuf.SizeSpan(rs.Spans[0])).IsEqualTo(writer.Length);
        }
    }

    [Test]
    public async Task Size_Metrics_EqualsTheBytesWritten()
    {
        var data = new ResourceMetricsData { ScopeName = "agent-strace", ScopeVersion = "1.0.0" };
        data.Resource.Add(SpanAttribute.Of("service.name", "svc"));
        var gauge = new MetricData { Name = "g", Unit = "1", Kind = MetricKind.Gauge };
        gauge.Points.Add(new NumberPoint([SpanAttribute.Of("k", "v")], 0, 5, 1.5));
        var histogram = new MetricData { Name = "h", Description = "d", Kind = MetricKind.Histogram, Temporality = 2 };
        var point = new HistogramPoint([SpanAttribute.Of("k", 1L)], [1, 10]) { StartTimeUnixNano = 1, TimeUnixNano = 2 };
        point.Record(3);
        histogram.HistogramPoints.Add(point);
        data.Metrics.Add(gauge);
        data.Metrics.Add(histogram);

        using var writer = new ProtoWriter(16);
        MetricsRequestWriter.Write(writer, data);
        await Assert.That(OtlpProtobuf.SizeExportMetricsServiceRequest(data)).IsEqualTo(writer.Length);
    }

    /// <summary>Every span of the sample store, each in its own <c>ResourceSpans</c>.</summary>
    private static IEnumerable<ResourceSpans> SampleStoreSpans(SpanFormat format, Semconv semconv)
    {
        var store = new TraceStore(Repo.SampleStore);
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
                yield return rs;
            }
        }
    }
}
