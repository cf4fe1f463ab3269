using System.IO.Compression;
using System.Text;
using AgentStrace.Errors;
using AgentStrace.Otlp.Transport;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Otlp;

/// <summary>A collector that answers with hostile bodies or text: gzip bombs, responses cut short, terminal escapes.</summary>
public sealed class OtlpTransportHostileTests
{
    [ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
    public required FakeCollector Collector { get; init; }

    private static readonly byte[] s_protobuf = TraceEncodingTests.Protobuf(SampleSpans.Batch());

    // 256 MiB of zeros gzip to well under the 4 MiB cap on the compressed body.
    private static readonly Lazy<byte[]> s_bomb = new(() =>
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 256; i++) gzip.Write(zeros);
        }
        return output.ToArray();
    });

    private OtlpSettings Settings(FakeScope scope, OtlpProtocol protocol = OtlpProtocol.HttpProtobuf) =>
        OtlpSettingsResolver.Resolve(new OtlpFlags
        {
            Endpoint = protocol == OtlpProtocol.Grpc ? Collector.GrpcUrl : Collector.HttpUrl,
            Protocol = protocol,
            TimeoutSeconds = 30,
            Headers = [scope.HeaderArgument],
        }, OtlpSignal.Traces, _ => null);

    [Test]
    [NotInParallel]
    [Arguments(OtlpProtocol.Grpc)]
    [Arguments(OtlpProtocol.HttpProtobuf)]
    public async Task GzipBombResponse_OneLineWarning_BoundedMemory(OtlpProtocol protocol)
    {
        byte[] bomb = s_bomb.Value;
        await Assert.That(bomb.Length).IsLessThan(OtlpTransport.MaxResponseBytes);
        FakeResponse response = protocol == OtlpProtocol.Grpc
            ? new FakeResponse { Body = bomb, GrpcCompressed = true }
            : new FakeResponse { Body = bomb, ContentType = "application/x-protobuf", Headers = new Dictionary<string, string> { ["Content-Encoding"] = "gzip" } };
        FakeScope scope = Collector.NewScope().Enqueue(response);
        using var transport = new OtlpTransport(Settings(scope, protocol));

        long before = GC.GetTotalAllocatedBytes(precise: true);
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // The spans were accepted; the response (only a partial-success message) is ignored, and said so on one line.
        await Assert.That(result.Delivered).IsTrue();
        await Assert.That(result.Attempts).IsEqualTo(1);
        await Assert.That(result.Message).Contains("inflates to more than 4 MiB and was ignored");
        await Assert.That(result.Message).DoesNotContain("\n");
        // Inflating without a cap allocates the whole 256 MiB (and more while a MemoryStream grows).
        await Assert.That(allocated).IsLessThan(64L * 1024 * 1024);
    }

    [Test]
    public async Task GzipBombErrorBody_OneLineError()
    {
        var response = new FakeResponse
        {
            Status = 400, ContentType = "text/plain", Body = s_bomb.Value, Headers = new Dictionary<string, string> { ["Content-Encoding"] = "gzip" },
        };
        FakeScope scope = Collector.NewScope().Enqueue(response);
        using var transport = new OtlpTransport(Settings(scope));
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Delivered).IsFalse();
        await Assert.That(result.Message).StartsWith($"OTLP export to {Collector.HttpUrl}/v1/traces failed: HTTP 400");
        await Assert.That(result.Message).Contains("inflates to more than 4 MiB");
        await Assert.That(result.Message).DoesNotContain("\n");
    }

    [Test]
    public async Task ResponseCutShort_IsRetried()
    {
        var cut = new FakeResponse { Status = 200, Body = FakeResponse.EncodePartialSuccess(0, new string('x', 4000)), CutShort = true };
        FakeScope scope = Collector.NewScope().Enqueue(cut, FakeResponse.Ok());
        using var transport = new OtlpTransport(Settings(scope), random: () => 0);
        OtlpSendResult result = await transport.SendAsync(s_protobuf, 3, CancellationToken.None);
        await Assert.That(result.Success).IsTrue().Because(result.Message);
        await Assert.That(result.Attempts).IsEqualTo(2);
        await Assert.That(scope.Requests.Count).IsEqualTo(2);
    }

    [Test]
    public async Task ServerTextWithTerminalEscapes_IsPrintedWithoutThem()
    {
        const string Hostile = "bad\u001b]0;PWNED-TITLE\u0007\u001b[31mRED\u001b[0m\u202Eevil\r\nInjected: yes";
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.Grpc(3, Hostile), FakeResponse.WithStatus(400, Hostile));
        using var grpc = new OtlpTransport(Settings(scope, OtlpProtocol.Grpc));
        using var http = new OtlpTransport(Settings(scope));
        foreach (OtlpSendResult result in (OtlpSendResult[])[await grpc.SendAsync(s_protobuf, 3, CancellationToken.None), await http.SendAsync(s_protobuf, 3, CancellationToken.None)])
        {
            await Assert.That(result.Delivered).IsFalse();
            await Assert.That(result.Message).Contains("badREDevil Injected: yes");
            await Assert.That(result.Message).DoesNotContain("PWNED");
            await Assert.That(result.Message.Any(c => char.IsControl(c) || c == '\u202E')).IsFalse();
        }
    }

    [Test]
    [Arguments("\u001b[1;31mred\u001b[0m text", "red text")]
    [Arguments("a\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\b", "alinkb")]
    [Arguments("title\u009d0;x\u0007 ok", "title ok")]
    [Arguments("tab\tand\nnewline", "tab and newline")]
    [Arguments("\u2066iso\u2069late", "isolate")]
    public async Task OneLine_DropsControlsAndEscapes(string input, string expected)
    {
        await Assert.That(AgentStrace.Output.Text.OneLine(input, 200)).IsEqualTo(expected);
    }
}
