using AgentStrace.Otlp.Metrics;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Otlp.Transport;
using AgentStrace.Ship;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Ship;

/// <summary>The shipped metrics of a finished session are one fixed set of points, and the state remembers they went.</summary>
public sealed class ShipMetricsTests
{
    [Test]
    [Arguments("http://127.0.0.1:4318", "http://127.0.0.1:4318")]
    [Arguments("https://gw.example/v1/traces", "https://gw.example/v1/metrics")]
    [Arguments("https://gw.example/otlp/v1/traces/", "https://gw.example/otlp/v1/metrics")]
    [Arguments("https://gw.example/api/public/otel", "https://gw.example/api/public/otel")]
    public async Task MetricsEndpoint_BesideTheTraces(string shipTo, string expected) =>
        await Assert.That(ShipMetrics.EndpointFor(shipTo)).IsEqualTo(expected);

    [Test]
    public async Task Build_CumulativeFromSessionStartToItsEnd_SameBytesEachTime()
    {
        using var dir = new TempDir();
        SyntheticStore.AddSession(dir.Path, "sess-metrics-01", 1_778_000_000, toolCalls: 4, errors: 1, durationS: 90);
        string sessionDir = Path.Combine(dir.Path, "sess-metrics-01");
        var info = new SessionInfo("sess-metrics-01", sessionDir, MetaJson.Read(Path.Combine(sessionDir, "meta.json")));
        OtlpSettings settings = OtlpSettingsResolver.Resolve(new OtlpFlags { Endpoint = "http://127.0.0.1:9" }, OtlpSignal.Metrics, _ => null);
        var metrics = new ShipMetrics(settings, dir.Path);
        List<SpanAttribute> fleet = [SpanAttribute.Of("host.name", "runner-7")];

        ResourceMetricsData first = metrics.Build(info, fleet, _ => { });
        await Task.Delay(30);
        ResourceMetricsData second = metrics.Build(info, fleet, _ => { });
        await Assert.That(Encode(second)).IsEquivalentTo(Encode(first), TUnit.Assertions.Enums.CollectionOrdering.Matching);

        MetricData tokens = first.Metrics.Single(m => m.Name == "gen_ai.client.token.usage");
        await Assert.That(tokens.Temporality).IsEqualTo(OtlpFieldNumbers.AggregationTemporality_Cumulative);
        await Assert.That(tokens.HistogramPoints.All(p => p.StartTimeUnixNano == OtlpTime.Nanos(1_778_000_000))).IsTrue();
        await Assert.That(tokens.HistogramPoints.All(p => p.TimeUnixNano == OtlpTime.Nanos(1_778_000_090))).IsTrue();
        await Assert.That(first.Metrics.Where(m => m.Kind == MetricKind.Gauge).SelectMany(m => m.Points).All(p => p.TimeUnixNano == OtlpTime.Nanos(1_778_000_090))).IsTrue();
        await Assert.That(first.Resource.Any(a => a.Key == "agent.session_id")).IsTrue();
        await Assert.That(first.Resource.Any(a => a.Key == "host.name")).IsTrue();
    }

    [Test]
    public async Task State_MetricsSentSurvivesAReload_AndAResumedSessionSendsThemAgain()
    {
        using var dir = new TempDir();
        ShipState state = ShipState.Load(dir.Path);
        state.Advance("s1", 100, finished: true, spans: 3);
        state.MetricsSent("s1");
        state.Advance("s1", 100, finished: true, spans: 0);
        await Assert.That(ShipState.Load(dir.Path).Get("s1").MetricsSent).IsTrue();

        ShipState reloaded = ShipState.Load(dir.Path);
        reloaded.Advance("s1", 250, finished: false, spans: 2);
        await Assert.That(ShipState.Load(dir.Path).Get("s1").MetricsSent).IsFalse();
    }

    private static byte[] Encode(ResourceMetricsData data)
    {
        using var proto = new ProtoWriter();
        MetricsRequestWriter.Write(proto, data);
        return proto.WrittenSpan.ToArray();
    }
}
