#if OTLP_PROTO
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Export;
using AgentStrace.Otlp.Json;
using AgentStrace.Otlp.Metrics;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.Testing;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OtlpTrace = OpenTelemetry.Proto.Trace.V1;

namespace AgentStrace.Tests.Otlp;

/// <summary>
/// Every payload variant decoded by Google.Protobuf classes generated at build time from the OTLP .proto files (an
/// implementation nobody on this project wrote): protobuf with no unknown fields, OTLP/JSON through the strict
/// JsonParser after hex ids are turned into base64, gzip as sent on the wire. Then the OTLP rules: 16/8-byte non-zero
/// ids, parents present, unique attribute keys, consistent histograms.
/// </summary>
[ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
public sealed class StrictDecodingTests(FakeCollector collector)
{
    public static IEnumerable<Func<(string, string)>> Variants() =>
        from format in new[] { "otlp", "default", "v1.41", "latest" }
        from store in new[] { "sample", "handmade" }
        select (Func<(string, string)>)(() => (format, store));

    [Test]
    [MethodDataSource(nameof(Variants))]
    public async Task Traces_ProtobufJsonAndGzip_DecodeStrictly_AndFollowOtlpRules(string format, string store)
    {
        List<ResourceSpans> batch = await BuildAsync(format, StorePath(store));
        using var proto = new ProtoWriter();
        TraceRequestWriter.Write(proto, batch);
        byte[] pb = proto.WrittenSpan.ToArray();

        ExportTraceServiceRequest fromPb = ExportTraceServiceRequest.Parser.ParseFrom(pb);
        await AssertNoUnknownFields(fromPb);
        await AssertTraceRules(fromPb);

        var json = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(json)) OtlpJsonTraceWriter.Write(w, batch);
        ExportTraceServiceRequest fromJson = JsonParser.Default.Parse<ExportTraceServiceRequest>(HexIdsToBase64(Encoding.UTF8.GetString(json.WrittenSpan)));
        // OTLP/JSON writes an explicit unset status ({"code": 0}) that protobuf leaves out: the same span.
        await Assert.That(WithoutEmptyStatus(fromJson)).IsEqualTo(WithoutEmptyStatus(fromPb.Clone()));

        // As sent: gzip over http/protobuf, decompressed by a standard GZipStream.
        FakeScope scope = collector.NewScope();
        var settings = new OtlpSettings { Url = new Uri(collector.HttpUrl + "/v1/traces"), Gzip = true, Headers = [scope.Header] };
        using (var transport = new OtlpTransport(settings))
        {
            OtlpSendResult sent = await transport.SendAsync(pb, fromPb.ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => s.Spans.Count)), CancellationToken.None);
            await Assert.That(sent.Success).IsTrue();
        }
        using var gunzip = new GZipStream(new MemoryStream(scope.Requests[0].RawBody), CompressionMode.Decompress);
        await Assert.That(ExportTraceServiceRequest.Parser.ParseFrom(gunzip)).IsEqualTo(fromPb);
    }

    [Test]
    [Arguments("sample")]
    [Arguments("handmade")]
    public async Task Metrics_ProtobufAndJson_DecodeStrictly_HistogramsConsistent(string store)
    {
        var trace = new TraceStore(StorePath(store));
        var analyzer = new SessionAnalyzer(CostOptions.Default(PricingTable.Load(trace.Root, null)));
        ResourceMetricsData data = new MetricsPayloadBuilder(analyzer, 2, 1_800_000_000_000_000_000, true)
            .Build(trace.List(), OtlpIdentity.Resource("svc", [], [SpanAttribute.Of("k", "1"), SpanAttribute.Of("k", "2")]));
        using var proto = new ProtoWriter();
        MetricsRequestWriter.Write(proto, data);
        ExportMetricsServiceRequest fromPb = ExportMetricsServiceRequest.Parser.ParseFrom(proto.WrittenSpan.ToArray());
        await AssertNoUnknownFields(fromPb);

        var json = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(json)) OtlpJsonMetricsWriter.Write(w, data);
        ExportMetricsServiceRequest fromJson = JsonParser.Default.Parse<ExportMetricsServiceRequest>(Encoding.UTF8.GetString(json.WrittenSpan));
        await Assert.That(fromJson).IsEqualTo(fromPb);

        var rm = fromPb.ResourceMetrics.Single();
        await AssertUniqueKeys(rm.Resource.Attributes, "resource");
        await Assert.That(rm.Resource.Attributes.Single(a => a.Key == "k").Value.StringValue).IsEqualTo("2");
        await Assert.That(rm.Resource.Attributes.Select(a => a.Key)).Contains("telemetry.sdk.version");
        var sm = rm.ScopeMetrics.Single();
        await Assert.That(sm.Scope.Name).IsEqualTo(OtlpIdentity.ScopeName);
        await Assert.That(sm.Scope.Version).IsEqualTo(OtlpIdentity.Version);
        await Assert.That(sm.SchemaUrl).IsEqualTo(OtlpIdentity.SchemaUrl);
        int histograms = 0;
        foreach (var metric in sm.Metrics)
        {
            if (metric.DataCase != OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Histogram) continue;
            foreach (var p in metric.Histogram.DataPoints)
            {
                histograms++;
                await AssertUniqueKeys(p.Attributes, metric.Name);
                await Assert.That(p.BucketCounts.Count).IsEqualTo(p.ExplicitBounds.Count + 1);
                await Assert.That((ulong)p.BucketCounts.Sum(c => (long)c)).IsEqualTo(p.Count);
                for (int i = 1; i < p.ExplicitBounds.Count; i++) await Assert.That(p.ExplicitBounds[i]).IsGreaterThan(p.ExplicitBounds[i - 1]);
            }
        }
        await Assert.That(histograms).IsGreaterThan(0);
    }

    private static async Task AssertTraceRules(ExportTraceServiceRequest request)
    {
        var ids = new HashSet<string>();
        var parents = new List<(string Trace, string Parent, string Name)>();
        foreach (var rs in request.ResourceSpans)
        {
            await AssertUniqueKeys(rs.Resource.Attributes, "resource");
            foreach (string key in new[] { "service.name", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version" })
            {
                await Assert.That(rs.Resource.Attributes.Any(a => a.Key == key)).IsTrue().Because(key);
            }
            foreach (var ss in rs.ScopeSpans)
            {
                await Assert.That(ss.Scope.Name).IsEqualTo(OtlpIdentity.ScopeName);
                await Assert.That(ss.Scope.Version).IsEqualTo(OtlpIdentity.Version);
                foreach (OtlpTrace.Span s in ss.Spans)
                {
                    await Assert.That(s.TraceId.Length).IsEqualTo(16);
                    await Assert.That(s.SpanId.Length).IsEqualTo(8);
                    await Assert.That(s.TraceId.Any(b => b != 0)).IsTrue();
                    await Assert.That(s.SpanId.Any(b => b != 0)).IsTrue();
                    await Assert.That(ids.Add(s.TraceId.ToBase64() + s.SpanId.ToBase64())).IsTrue().Because("unique span id " + s.Name);
                    if (!s.ParentSpanId.IsEmpty) parents.Add((s.TraceId.ToBase64(), s.TraceId.ToBase64() + s.ParentSpanId.ToBase64(), s.Name));
                    await Assert.That(s.Kind).IsNotEqualTo(OtlpTrace.Span.Types.SpanKind.Unspecified);
                    await Assert.That(s.StartTimeUnixNano).IsLessThanOrEqualTo(s.EndTimeUnixNano);
                    await AssertUniqueKeys(s.Attributes, s.Name);
                    foreach (var e in s.Events) await AssertUniqueKeys(e.Attributes, s.Name + "/" + e.Name);
                    if (s.Status?.Message is { Length: > 0 }) await Assert.That(s.Status.Code).IsEqualTo(OtlpTrace.Status.Types.StatusCode.Error);
                }
            }
        }
        foreach (var (_, parent, name) in parents) await Assert.That(ids.Contains(parent)).IsTrue().Because("parent of " + name);
    }

    private static ExportTraceServiceRequest WithoutEmptyStatus(ExportTraceServiceRequest request)
    {
        foreach (OtlpTrace.Span span in request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans))
        {
            if (span.Status is { Code: OtlpTrace.Status.Types.StatusCode.Unset, Message: "" }) span.Status = null;
        }
        return request;
    }

    private static async Task AssertUniqueKeys(IEnumerable<KeyValue> attributes, string where)
    {
        var keys = attributes.Select(a => a.Key).ToList();
        await Assert.That(keys.Distinct().Count()).IsEqualTo(keys.Count).Because("duplicate attribute key in " + where);
        await Assert.That(keys.All(k => k.Length > 0)).IsTrue();
    }

    /// <summary>Walks every message: Google.Protobuf keeps fields it does not know in a private _unknownFields set.</summary>
    private static async Task AssertNoUnknownFields(IMessage message)
    {
        var field = message.GetType().GetField("_unknownFields", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
        await Assert.That(field?.GetValue(message)).IsNull().Because("unknown fields in " + message.Descriptor.FullName);
        foreach (FieldDescriptor f in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (f.FieldType != FieldType.Message) continue;
            object? value = f.Accessor.GetValue(message);
            if (value is IMessage child) await AssertNoUnknownFields(child);
            else if (value is System.Collections.IEnumerable list and not IMessage)
            {
                foreach (object? item in list) if (item is IMessage m) await AssertNoUnknownFields(m);
            }
        }
    }

    /// <summary>OTLP/JSON writes ids as hex; the protobuf JSON mapping (what JsonParser reads) wants base64 bytes.</summary>
    private static string HexIdsToBase64(string json)
    {
        JsonNode root = JsonNode.Parse(json)!;
        void Walk(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                foreach (string key in o.Select(p => p.Key).ToList())
                {
                    if (key is "traceId" or "spanId" or "parentSpanId" && o[key] is JsonValue v && v.TryGetValue(out string? hex))
                    {
                        o[key] = Convert.ToBase64String(Convert.FromHexString(hex));
                    }
                    else Walk(o[key]);
                }
            }
            else if (node is JsonArray a) foreach (JsonNode? item in a) Walk(item);
        }
        Walk(root);
        return root.ToJsonString();
    }

    internal static async Task<List<ResourceSpans>> BuildAsync(string format, string storePath)
    {
        var store = new TraceStore(storePath);
        var options = new SpanOptions
        {
            Format = format == "otlp" ? SpanFormat.Classic : SpanFormat.GenAi,
            Semconv = format switch { "v1.41" => Semconv.V141, "latest" => Semconv.Latest, _ => Semconv.Default },
            ResourceAttributes = [SpanAttribute.Of("telemetry.sdk.language", "go"), SpanAttribute.Of("k", "1"), SpanAttribute.Of("k", "2")],
        };
        var sink = new CollectingSink();
        var batcher = new SpanBatcher(sink, 7);
        await new TraceExporter(options).ExportAsync(TraceExportPlan.Build(store, store.List()), batcher, rootFirst: false, CancellationToken.None);
        return sink.Resources;
    }

    internal static string StorePath(string name) => name == "sample" ? Repo.SampleStore : HandmadeStore.Path;
}
#else
namespace AgentStrace.Tests.Otlp;

public sealed class StrictDecodingTests
{
    [Test]
    public void Skipped_OtlpProtoFilesAbsent() =>
        Skip.Test("tests/fixtures/otlp-proto (the OTLP .proto files) is missing, so the decoder classes were not generated.");
}
#endif
