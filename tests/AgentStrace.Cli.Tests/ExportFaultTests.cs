using System.Diagnostics;
using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>Delivery against a loopback collector that fails on purpose, through the AOT binary.</summary>
[ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
public sealed class ExportFaultTests(FakeCollector collector)
{
    private const string Secret = "sk-test-SECRET-9f8e7d6c5b4a";

    private Task<CliResult> Export(FreshStore store, FakeScope scope, params string[] extra) =>
        AgentStraceCli.RunAsync(["export", store.Sdk, "--format", "otlp-genai", "--endpoint", collector.HttpUrl, "--protocol", "http/json",
            "--header", scope.HeaderArgument, "--header", "x-api-key: " + Secret, .. extra], store.Root);

    [Test]
    public async Task Http503ThenOk_RetriedAndDeliveredOnce()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope().Enqueue(FakeResponse.WithStatus(503));
        var r = await Export(store, scope);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(scope.Requests.Count).IsEqualTo(2);
        await Assert.That(scope.Requests[1].Body).IsEquivalentTo(scope.Requests[0].Body);
        await Assert.That(scope.Requests[0].Header("x-api-key")).IsEqualTo(Secret);
    }

    [Test]
    public async Task Http429RetryAfter_Honoured()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope().Enqueue(FakeResponse.RetryAfter(429, "2"));
        var r = await Export(store, scope, "--timeout", "20");
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(scope.Requests.Count).IsEqualTo(2);
        TimeSpan gap = scope.Requests[1].ReceivedAt - scope.Requests[0].ReceivedAt;
        await Assert.That(gap.TotalSeconds).IsGreaterThanOrEqualTo(1.9);
    }

    [Test]
    public async Task Http400_NotRetried_Exit3_ClearMessage_NoSecret()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope().Enqueue(FakeResponse.WithStatus(400, "invalid span: bad key " + Secret));
        var r = await Export(store, scope);
        await Assert.That(r.ExitCode).IsEqualTo(3);
        await Assert.That(scope.Requests.Count).IsEqualTo(1);
        await Assert.That(r.Stderr).Contains("400");
        await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(r.Stderr + r.Stdout).DoesNotContain(Secret);
    }

    [Test]
    public async Task HeaderWithCrLf_FromFlagOrEnvironment_Exit2_NothingSent()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope();
        var flag = await Export(store, scope, "--header", "X-A: v\r\nInjected: yes");
        var env = await AgentStraceCli.RunAsync(["export", store.Sdk, "--format", "otlp-genai", "--endpoint", collector.HttpUrl, "--header", scope.HeaderArgument],
            store.Root, new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-a=v%0D%0AInjected%3A%20yes" });
        foreach (CliResult r in (CliResult[])[flag, env])
        {
            await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
            await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
            await Assert.That(r.Stderr).Contains("line break or NUL");
        }
        await Assert.That(scope.Requests.Count).IsEqualTo(0);
    }

    [Test]
    public async Task ResponseCutShort_RetriedAndDelivered()
    {
        using var store = new FreshStore();
        var cut = new FakeResponse { Body = FakeResponse.EncodePartialSuccess(0, new string('x', 4000)), ContentType = "application/x-protobuf", CutShort = true };
        FakeScope scope = collector.NewScope().Enqueue(cut);
        var r = await Export(store, scope);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(scope.Requests.Count).IsEqualTo(2);
        await Assert.That(r.Stderr).DoesNotContain("   at ");
    }

    [Test]
    public async Task PartialSuccess_ReportedNotRetried_Exit3()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope().Enqueue(FakeResponse.PartialSuccessJson(2, "2 spans too old"));
        var r = await Export(store, scope);
        await Assert.That(r.ExitCode).IsEqualTo(3);
        await Assert.That(scope.Requests.Count).IsEqualTo(1);
        await Assert.That(r.Stderr).Contains("2 spans too old");
        await Assert.That(r.Stderr).Contains("Rejected 2 of 5 spans");
    }

    [Test]
    public async Task ConnectionRefused_Exit3_WithinTimeout()
    {
        using var store = new FreshStore();
        int port = FreePort.Next();
        var sw = Stopwatch.StartNew();
        var r = await AgentStraceCli.RunAsync(["export", store.Sdk, "--format", "otlp", "--endpoint", $"http://127.0.0.1:{port}", "--timeout", "3",
            "--header", "Authorization: Bearer " + Secret], store.Root);
        await Assert.That(r.ExitCode).IsEqualTo(3);
        await Assert.That(sw.Elapsed.TotalSeconds).IsLessThan(10);
        await Assert.That(r.Stderr).Contains("connection refused");
        await Assert.That(r.Stderr).DoesNotContain(Secret);
    }

    [Test]
    public async Task HangingCollector_Exit3_WithinTimeout()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope().Enqueue(FakeResponse.Hang(TimeSpan.FromSeconds(30)), FakeResponse.Hang(TimeSpan.FromSeconds(30)));
        var sw = Stopwatch.StartNew();
        var r = await Export(store, scope, "--timeout", "2");
        await Assert.That(r.ExitCode).IsEqualTo(3);
        await Assert.That(sw.Elapsed.TotalSeconds).IsLessThan(9);
        await Assert.That(r.Stderr).DoesNotContain(Secret);
    }

    [Test]
    public async Task BatchLimit_ForcesSeveralRequests_AllSpansOnce()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope();
        var r = await AgentStraceCli.RunAsync(["export", "--all", "--format", "otlp", "--endpoint", collector.HttpUrl, "--protocol", "http/json",
            "--header", scope.HeaderArgument, "--batch-spans", "3"], store.Root);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        var ids = new List<string>();
        foreach (RecordedRequest req in scope.Requests)
        {
            using var doc = JsonDocument.Parse(req.Body);
            int count = 0;
            foreach (var rs in doc.RootElement.GetProperty("resourceSpans").EnumerateArray())
            foreach (var ss in rs.GetProperty("scopeSpans").EnumerateArray())
            foreach (var span in ss.GetProperty("spans").EnumerateArray())
            {
                ids.Add(span.GetProperty("spanId").GetString()!);
                count++;
            }
            await Assert.That(count).IsLessThanOrEqualTo(3);
        }
        await Assert.That(scope.Requests.Count).IsGreaterThanOrEqualTo(4);
        await Assert.That(ids.Count).IsEqualTo(14);
        await Assert.That(ids.Distinct().Count()).IsEqualTo(14);
    }

    [Test]
    public async Task HttpGzip_BodyIsCompressedProtobuf()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope();
        var r = await AgentStraceCli.RunAsync(["export", store.Sdk, "--format", "otlp-genai", "--endpoint", collector.HttpUrl, "--compression", "gzip",
            "--header", scope.HeaderArgument], store.Root);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        RecordedRequest req = scope.Requests.Single();
        await Assert.That(req.Header("content-encoding")).IsEqualTo("gzip");
        await Assert.That(req.Header("content-type")).IsEqualTo("application/x-protobuf");
        await Assert.That(req.RawBody.Length).IsLessThan(req.Body.Length);
        await Assert.That(req.Path).IsEqualTo("/v1/traces");
    }

    [Test]
    public async Task Grpc_UnavailableThenOk_Retried()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope().Enqueue(FakeResponse.Grpc(14, "try again"));
        var r = await AgentStraceCli.RunAsync(["export", store.Sdk, "--format", "otlp-genai", "--endpoint", collector.GrpcUrl, "--protocol", "grpc",
            "--header", scope.HeaderArgument], store.Root);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(scope.Requests.Count).IsEqualTo(2);
        await Assert.That(scope.Requests[0].Path).IsEqualTo("/opentelemetry.proto.collector.trace.v1.TraceService/Export");
    }

    /// <summary>Every command line of the seed's per-backend section, pointed at the loopback collector.</summary>
    [Test]
    [Arguments("otlp", "DD-API-KEY", "")]
    [Arguments("otlp", "x-honeycomb-team", "my-agent")]
    [Arguments("otlp", "api-key", "")]
    [Arguments("otlp", "X-SF-Token", "")]
    [Arguments("otlp-genai", "", "")]
    public async Task SeedCommands_RunAsWritten(string format, string header, string service)
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope();
        var args = new List<string> { "export", store.Sdk, "--format", format, "--endpoint", collector.HttpUrl, "--header", scope.HeaderArgument };
        if (header.Length > 0) args.AddRange(["--header", $"{header}: {Secret}"]);
        if (service.Length > 0) args.AddRange(["--service-name", service]);
        var r = await AgentStraceCli.RunAsync(args, store.Root);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        RecordedRequest req = scope.Requests.Single();
        await Assert.That(req.Path).IsEqualTo("/v1/traces");
        if (header.Length > 0) await Assert.That(req.Header(header)).IsEqualTo(Secret);
        await Assert.That(r.Stderr + r.Stdout).DoesNotContain(Secret);
    }
}
