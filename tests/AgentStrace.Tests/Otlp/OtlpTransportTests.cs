using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using AgentStrace.Otlp.Transport;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Otlp;

/// <summary>The transport against the loopback fault server: retries, throttling, errors, partial success, gzip and gRPC.</summary>
public sealed class OtlpTransportTests
{
    private const string ApiKey = "sk-live-SECRET-0123456789";

    [ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
    public required FakeCollector Collector { get; init; }

    private static readonly byte[] s_protobuf = TraceEncodingTests.Protobuf(SampleSpans.Batch());

    private OtlpSettings Settings(FakeScope scope, OtlpProtocol protocol = OtlpProtocol.HttpProtobuf, bool gzip = false, double timeoutSeconds = 10, string? endpoint = null)
    {
        var flags = new OtlpFlags
        {
            Endpoint = endpoint ?? (protocol == OtlpProtocol.Grpc ? Collector.GrpcUrl : Collector.HttpUrl),
            Protocol = protocol,
            Compression = gzip ? OtlpCompression.Gzip : OtlpCompression.None,
            TimeoutSeconds = timeoutSeconds,
            Headers = [scope.HeaderArgument, "x-honeycomb-team: " + ApiKey, "Authorization=Bearer " + ApiKey],
        };
        return OtlpSettingsResolver.Resolve(flags, OtlpSignal.Traces, _ => null);
    }

    private static async Task AssertNoSecret(OtlpSendResult result)
    {
        await Assert.That(result.Message).DoesNotContain(ApiKey);
        await Assert.That(result.Message).DoesNotContain("SECRET");
    }

    [Test]
    public async Task Send_200_DeliversOnceWithHeaders()
    {
        FakeScope scope = Collector.NewScope();
        using var transport = new OtlpTransport(Settings(scope));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue();
        await Assert.That(result.Attempts).IsEqualTo(1);
        RecordedRequest request = scope.Requests.Single();
        await Assert.That(request.Path).IsEqualTo("/v1/traces");
        await Assert.That(request.Header("content-type")).IsEqualTo("application/x-protobuf");
        await Assert.That(request.Header("user-agent")).StartsWith("agent-strace/");
        await Assert.That(request.Header("x-honeycomb-team")).IsEqualTo(ApiKey);
        await Assert.That(request.Header("authorization")).IsEqualTo("Bearer " + ApiKey);
        await Assert.That(request.Body).IsEquivalentTo(s_protobuf, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Send_503Then200_RetriesAndDeliversOnce()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.WithStatus(503), FakeResponse.Ok());
        using var transport = new OtlpTransport(Settings(scope));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue();
        await Assert.That(result.Attempts).IsEqualTo(2);
        await Assert.That(scope.Requests.Count).IsEqualTo(2);
        await Assert.That(scope.Requests[1].Body).IsEquivalentTo(s_protobuf, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Send_429WithRetryAfter_WaitsThatLong()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.RetryAfter(429, "1"), FakeResponse.Ok());
        // random = 0 makes backoff jitter zero: any wait comes from Retry-After.
        using var transport = new OtlpTransport(Settings(scope), random: () => 0);
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue();
        TimeSpan gap = scope.Requests[1].ReceivedAt - scope.Requests[0].ReceivedAt;
        await Assert.That(gap).IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950));
        await Assert.That(gap).IsLessThan(TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task Send_RetryAfterBeyondTimeout_GivesUpWithinTimeout()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.RetryAfter(503, "60"));
        using var transport = new OtlpTransport(Settings(scope, timeoutSeconds: 2));
        var sw = Stopwatch.StartNew();
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(sw.Elapsed).IsLessThan(TimeSpan.FromSeconds(2));
        await Assert.That(result.Delivered).IsFalse();
        await Assert.That(result.Message).Contains("HTTP 503");
        await Assert.That(scope.Requests.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Send_400_NotRetried_ClearMessageWithServerText()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.RpcStatus(400, 3, "span 7 has an invalid trace id; key was " + ApiKey + "\n" + new string('x', 500)));
        using var transport = new OtlpTransport(Settings(scope));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Delivered).IsFalse();
        await Assert.That(result.HttpStatus).IsEqualTo(400);
        await Assert.That(result.Attempts).IsEqualTo(1);
        await Assert.That(scope.Requests.Count).IsEqualTo(1);
        await Assert.That(result.Message).StartsWith($"OTLP export to {Collector.HttpUrl}/v1/traces failed: HTTP 400");
        await Assert.That(result.Message).Contains("span 7 has an invalid trace id");
        await Assert.That(result.Message).DoesNotContain("\n");
        await Assert.That(result.Message.Length).IsLessThan(400);
        await AssertNoSecret(result);
    }

    [Test]
    public async Task Send_401_EchoedKeyIsScrubbed()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.WithStatus(401, "invalid key Bearer " + ApiKey));
        using var transport = new OtlpTransport(Settings(scope));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Message).Contains("HTTP 401");
        await Assert.That(result.Message).Contains("***");
        await AssertNoSecret(result);
    }

    [Test]
    public async Task Send_PartialSuccessProtobuf_ReportedNotRetried()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.PartialSuccessProtobuf(2, "2 spans too old"));
        using var transport = new OtlpTransport(Settings(scope));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Delivered).IsTrue();
        await Assert.That(result.Success).IsFalse();
        await Assert.That(result.Rejected).IsEqualTo(2L);
        await Assert.That(result.Message).Contains("rejected 2 of 3 spans: 2 spans too old");
        await Assert.That(scope.Requests.Count).IsEqualTo(1);
        var report = new OtlpDeliveryReport(OtlpSignal.Traces);
        report.Add(result);
        await Assert.That(report.RejectedLine()).IsEqualTo("Rejected 2 of 3 spans (partial success, not retried).");
        await Assert.That(report.Success).IsFalse();
    }

    [Test]
    public async Task Send_PartialSuccessJson_ReportedNotRetried()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.PartialSuccessJson(1, "dropped \"one\""));
        using var transport = new OtlpTransport(Settings(scope, OtlpProtocol.HttpJson));
        byte[] json = TraceEncodingTests.Json(SampleSpans.Batch());
        OtlpSendResult result = await transport.SendAsync(json, 3, CancellationToken.None);
        await Assert.That(result.Rejected).IsEqualTo(1L);
        await Assert.That(result.Message).Contains("dropped \"one\"");
        await Assert.That(scope.Requests.Single().Header("content-type")).IsEqualTo("application/json");
        await Assert.That(JsonNode.Parse(scope.Requests[0].Body)!["resourceSpans"]).IsNotNull();
    }

    [Test]
    public async Task Send_PartialSuccessWarningOnly_IsSuccessWithMessage()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.PartialSuccessProtobuf(0, "attribute truncated"));
        using var transport = new OtlpTransport(Settings(scope));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue();
        await Assert.That(result.Message).Contains("warning: attribute truncated");
    }

    [Test]
    public async Task Send_ConnectionRefused_EndsWithinTimeoutWithHint()
    {
        int port = FreePort.Next();
        FakeScope scope = Collector.NewScope();
        using var transport = new OtlpTransport(Settings(scope, timeoutSeconds: 3, endpoint: $"http://127.0.0.1:{port}"));
        var sw = Stopwatch.StartNew();
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(sw.Elapsed).IsLessThan(TimeSpan.FromSeconds(3.5));
        await Assert.That(result.Delivered).IsFalse();
        await Assert.That(result.Attempts).IsGreaterThan(1);
        await Assert.That(result.Message).Contains("connection refused");
        await Assert.That(result.Message).Contains($"is a collector listening on 127.0.0.1:{port}?");
        await AssertNoSecret(result);
    }

    [Test]
    public async Task Send_HangingServer_TimesOutWithinTimeout()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.Hang(TimeSpan.FromSeconds(30)));
        using var transport = new OtlpTransport(Settings(scope, timeoutSeconds: 1.5));
        var sw = Stopwatch.StartNew();
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(sw.Elapsed).IsLessThan(TimeSpan.FromSeconds(2.5));
        await Assert.That(result.Delivered).IsFalse();
        await Assert.That(result.Message).Contains("no response within the 1.5 s timeout");
    }

    [Test]
    public async Task Send_Cancelled_Throws()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.Hang(TimeSpan.FromSeconds(30)));
        using var transport = new OtlpTransport(Settings(scope));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.That(async () => await transport.SendAsync(s_protobuf, 3, cts.Token)).Throws<OperationCanceledException>();
    }

    [Test]
    public async Task Send_Gzip_ServerDecompressesSameBytes()
    {
        FakeScope scope = Collector.NewScope();
        using var transport = new OtlpTransport(Settings(scope, gzip: true));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue();
        RecordedRequest request = scope.Requests.Single();
        await Assert.That(request.Header("content-encoding")).IsEqualTo("gzip");
        await Assert.That(request.RawBody[0]).IsEqualTo((byte)0x1f);
        await Assert.That(request.Body).IsEquivalentTo(s_protobuf, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    [Arguments(false)]
    [Arguments(true)]
    public async Task SendGrpc_FramesOverHttp2WithTrailers(bool gzip)
    {
        FakeScope scope = Collector.NewScope();
        using var transport = new OtlpTransport(Settings(scope, OtlpProtocol.Grpc, gzip));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue().Because(result.Message);
        await Assert.That(result.GrpcStatus).IsEqualTo(0);
        RecordedRequest request = scope.Requests.Single();
        await Assert.That(request.Protocol).IsEqualTo("HTTP/2");
        await Assert.That(request.Path).IsEqualTo("/opentelemetry.proto.collector.trace.v1.TraceService/Export");
        await Assert.That(request.Header("content-type")).IsEqualTo("application/grpc");
        await Assert.That(request.Header("te")).IsEqualTo("trailers");
        await Assert.That(request.Header("grpc-timeout")).EndsWith("m");
        await Assert.That(request.Header("x-honeycomb-team")).IsEqualTo(ApiKey);
        await Assert.That(request.GrpcCompressedFlag).IsEqualTo(gzip ? (byte)1 : (byte)0);
        await Assert.That(request.Header("grpc-encoding")).IsEqualTo(gzip ? "gzip" : null);
        await Assert.That(request.Body).IsEquivalentTo(s_protobuf, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task SendGrpc_UnavailableThenOk_Retries()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.Grpc(14, "overloaded"), FakeResponse.Ok());
        using var transport = new OtlpTransport(Settings(scope, OtlpProtocol.Grpc), random: () => 0);
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue();
        await Assert.That(result.Attempts).IsEqualTo(2);
    }

    [Test]
    public async Task SendGrpc_GarbageGrpcStatus_IsNamedAsInvalidNotMissing()
    {
        FakeScope retried = Collector.NewScope().Enqueue(new FakeResponse { GrpcStatusText = "abc" }, FakeResponse.Ok());
        using (var transport = new OtlpTransport(Settings(retried, OtlpProtocol.Grpc), random: () => 0))
        {
            await Assert.That((await transport.SendAsync(s_protobuf, 3, CancellationToken.None)).Success).IsTrue();
        }
        // A jitter near the whole backoff (1 s) with a 1 s timeout: one attempt, then the error is reported.
        FakeScope garbage = Collector.NewScope();
        for (int i = 0; i < 5; i++) garbage.Enqueue(new FakeResponse { GrpcStatusText = "abc" });
        using var once = new OtlpTransport(Settings(garbage, OtlpProtocol.Grpc, timeoutSeconds: 1), random: () => 0.99);
        OtlpSendResult failed = await once.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(failed.Success).IsFalse();
        await Assert.That(failed.Message).Contains("invalid grpc-status \"abc\"").And.DoesNotContain("no grpc-status");
    }

    [Test]
    public async Task EchoedKey_LowerCasedOrUrlEncoded_IsScrubbedToo()
    {
        var scrubber = new AgentStrace.Otlp.Internal.SecretScrubber([new("X-Api-Key", "SEKRIT_HDR-value/9")]);
        string echoed = scrubber.Scrub("got sekrit_hdr-value/9 and SEKRIT_HDR-value%2F9 and sekrit_hdr-value%2f9");
        await Assert.That(echoed).IsEqualTo("got *** and *** and ***");
    }

    [Test]
    public async Task SendGrpc_InvalidArgument_NotRetried_MessageDecoded()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.Grpc(3, "bad span: 100% broken, key " + ApiKey));
        using var transport = new OtlpTransport(Settings(scope, OtlpProtocol.Grpc));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Delivered).IsFalse();
        await Assert.That(result.GrpcStatus).IsEqualTo(3);
        await Assert.That(scope.Requests.Count).IsEqualTo(1);
        await Assert.That(result.Message).Contains("gRPC status 3 INVALID_ARGUMENT: bad span: 100% broken");
        await AssertNoSecret(result);
    }

    [Test]
    public async Task SendGrpc_ResourceExhaustedWithRetryInfo_HonoursDelay()
    {
        // google.rpc.Status{code 8, details [Any{type_url RetryInfo, value RetryInfo{retry_delay {nanos 300ms}}}]}
        byte[] duration = [0x10, .. Varint(300_000_000)];
        byte[] retryInfo = [0x0A, (byte)duration.Length, .. duration];
        byte[] typeUrl = Encoding.UTF8.GetBytes("type.googleapis.com/google.rpc.RetryInfo");
        byte[] any = [0x0A, (byte)typeUrl.Length, .. typeUrl, 0x12, (byte)retryInfo.Length, .. retryInfo];
        byte[] status = [0x08, 8, 0x1A, (byte)any.Length, .. any];
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.Grpc(8, "slow down") with { GrpcStatusDetails = Convert.ToBase64String(status) }, FakeResponse.Ok());
        using var transport = new OtlpTransport(Settings(scope, OtlpProtocol.Grpc), random: () => 0);
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue();
        TimeSpan gap = scope.Requests[1].ReceivedAt - scope.Requests[0].ReceivedAt;
        await Assert.That(gap).IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250));
    }

    [Test]
    public async Task SendGrpc_PartialSuccess_Reported()
    {
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.GrpcPartialSuccess(3, "all rejected"));
        using var transport = new OtlpTransport(Settings(scope, OtlpProtocol.Grpc));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Rejected).IsEqualTo(3L);
        await Assert.That(result.Message).Contains("all rejected");
    }

    [Test]
    public async Task SendGrpc_ToHttp1Port_FailsWithPortHint()
    {
        FakeScope scope = Collector.NewScope();
        using var transport = new OtlpTransport(Settings(scope, OtlpProtocol.Grpc, timeoutSeconds: 2, endpoint: Collector.HttpUrl));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Delivered).IsFalse();
        await Assert.That(result.Message).Contains("is --endpoint a gRPC (HTTP/2) port");
        await AssertNoSecret(result);
    }

    private static byte[] Varint(ulong v)
    {
        var bytes = new List<byte>();
        while (v >= 0x80)
        {
            bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }
        bytes.Add((byte)v);
        return [.. bytes];
    }
}
