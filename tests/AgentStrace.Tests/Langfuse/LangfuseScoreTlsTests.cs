using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentStrace.Analysis;
using AgentStrace.Langfuse;
using AgentStrace.Otlp.Transport;
using AgentStrace.Testing;
using AgentStrace.Tests.Otlp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentStrace.Tests.Langfuse;

/// <summary>
/// Scores and traces share one delivery path: behind a private CA (a loopback TLS server whose certificate a
/// test-generated CA signed), trusting that CA with OTEL_EXPORTER_OTLP_CERTIFICATE lets both through.
/// </summary>
public sealed class LangfuseScoreTlsTests
{
    [Test]
    public async Task PrivateCa_TracesAndScoresBothPass_WithTheCertificate()
    {
        using var temp = new TempDir();
        (X509Certificate2 ca, X509Certificate2 server) = PrivateCa.Create();
        string caPem = Path.Combine(temp.Path, "ca.pem");
        File.WriteAllText(caPem, ca.ExportCertificatePem());
        await using TlsServer tls = await TlsServer.StartAsync(server);

        using var transport = new OtlpTransport(Settings(tls, caPem));
        OtlpSendResult traces = await transport.SendAsync(TraceEncodingTests.Protobuf(SampleSpans.Batch()), 3, CancellationToken.None);
        var scores = new LangfuseScoreClient(transport, new Uri(tls.Url + "/api/public/ingestion"));
        OtlpSendResult score = await scores.SendAsync([Score()], CancellationToken.None);

        await Assert.That(traces.Success).IsTrue().Because(traces.Message);
        await Assert.That(score.Success).IsTrue().Because(score.Message);
        await Assert.That(tls.Paths).IsEquivalentTo(["/api/public/otel/v1/traces", "/api/public/ingestion"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(tls.Authorizations.Distinct()).IsEquivalentTo(["Basic cGs6c2s="], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task PrivateCa_WithoutTheCertificate_ScoresFailWithTheTlsHint()
    {
        (_, X509Certificate2 server) = PrivateCa.Create();
        await using TlsServer tls = await TlsServer.StartAsync(server);
        using var transport = new OtlpTransport(Settings(tls, caPem: null));
        OtlpSendResult score = await new LangfuseScoreClient(transport, new Uri(tls.Url + "/api/public/ingestion")).SendAsync([Score()], CancellationToken.None);
        await Assert.That(score.Delivered).IsFalse();
        await Assert.That(score.Message).StartsWith($"Langfuse score upload to {tls.Url}/api/public/ingestion failed");
        await Assert.That(score.Message).Contains("TLS handshake failed");
        await Assert.That(score.Message).Contains("OTEL_EXPORTER_OTLP_CERTIFICATE");
        await Assert.That(score.Message).DoesNotContain("cGs6c2s=");
        await Assert.That(tls.Paths).IsEmpty();
    }

    private static OtlpSettings Settings(TlsServer tls, string? caPem) =>
        OtlpSettingsResolver.Resolve(new OtlpFlags
        {
            Endpoint = tls.Url + "/api/public/otel/v1/traces",
            Headers = ["Authorization: Basic cGs6c2s="],
            TimeoutSeconds = 5,
        }, OtlpSignal.Traces, name => name == "OTEL_EXPORTER_OTLP_CERTIFICATE" ? caPem : null);

    private static LangfuseScore Score() => new()
    {
        Id = "0b5d2f8e-7c1a-8e4b-9a3f-1d2c3b4a5f6e",
        TraceId = new string('a', 32),
        Name = "correctness",
        Value = 0.9,
        Source = new EvalScore("correctness", 0.9, 0.5, true, ""),
        SessionId = "tls-session",
    };

    /// <summary>A CA and a server certificate for 127.0.0.1 it signed, both made for this test run.</summary>
    private static class PrivateCa
    {
        public static (X509Certificate2 Ca, X509Certificate2 Server) Create()
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=agent-strace test CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
            X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            using X509Certificate2 signed = request.Create(ca, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
            using X509Certificate2 withKey = signed.CopyWithPrivateKey(serverKey);
            X509Certificate2 server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
            return (ca, server);
        }
    }

    /// <summary>A loopback HTTPS server that answers 200 to every POST and records paths and Authorization.</summary>
    private sealed class TlsServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _paths = new();
        private readonly ConcurrentQueue<string> _auth = new();

        private TlsServer(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }
        public IReadOnlyList<string> Paths => [.. _paths];
        public IReadOnlyList<string> Authorizations => [.. _auth];

        public static async Task<TlsServer> StartAsync(X509Certificate2 certificate)
        {
            int port = FreePort.Next();
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.UseHttps(certificate)));
            WebApplication app = builder.Build();
            var server = new TlsServer(app, $"https://127.0.0.1:{port}");
            app.Run(async context =>
            {
                using var sink = new MemoryStream();
                await context.Request.Body.CopyToAsync(sink, context.RequestAborted);
                server._paths.Enqueue(context.Request.Path.Value ?? "");
                server._auth.Enqueue(context.Request.Headers.Authorization.ToString());
                context.Response.StatusCode = 200;
            });
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(cts.Token);
            await _app.DisposeAsync();
        }
    }
}
