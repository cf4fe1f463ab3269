using AgentStrace.Errors;
using AgentStrace.Otlp.Transport;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Otlp;

public sealed class OtlpSettingsResolverTests
{
    private static OtlpSettings Resolve(OtlpFlags flags, params (string Name, string Value)[] env) => Resolve(flags, OtlpSignal.Traces, env);

    private static OtlpSettings Resolve(OtlpFlags flags, OtlpSignal signal, params (string Name, string Value)[] env)
    {
        var vars = env.ToDictionary(e => e.Name, e => e.Value);
        return OtlpSettingsResolver.Resolve(flags, signal, name => vars.GetValueOrDefault(name));
    }

    [Test]
    public async Task Defaults_AreLocalHttpProtobufWithTenSecondTimeout()
    {
        OtlpSettings s = Resolve(new OtlpFlags());
        await Assert.That(s.Url.ToString()).IsEqualTo("http://localhost:4318/v1/traces");
        await Assert.That(s.Protocol).IsEqualTo(OtlpProtocol.HttpProtobuf);
        await Assert.That(s.Timeout).IsEqualTo(TimeSpan.FromSeconds(10));
        await Assert.That(s.Gzip).IsFalse();
        await Assert.That(s.ServiceName).IsEqualTo("agent-trace");
    }

    [Test]
    public async Task Grpc_WithoutEndpoint_UsesPort4317AndTheServicePath()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Protocol = OtlpProtocol.Grpc });
        await Assert.That(s.Url.ToString()).IsEqualTo("http://localhost:4317/opentelemetry.proto.collector.trace.v1.TraceService/Export");
        OtlpSettings m = Resolve(new OtlpFlags(), OtlpSignal.Metrics, ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
        await Assert.That(m.Url.ToString()).IsEqualTo("http://localhost:4317/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
    }

    [Test]
    [Arguments("http://localhost:4318", "http://localhost:4318/v1/traces")]
    [Arguments("http://localhost:4318/", "http://localhost:4318/v1/traces")]
    [Arguments("http://localhost:4318/v1/traces", "http://localhost:4318/v1/traces")]
    [Arguments("http://c:4318/mycollector", "http://c:4318/mycollector/v1/traces")]
    [Arguments("https://api.honeycomb.io", "https://api.honeycomb.io/v1/traces")]
    [Arguments("https://otlp.nr-data.net", "https://otlp.nr-data.net/v1/traces")]
    [Arguments("https://ingest.us1.signalfx.com", "https://ingest.us1.signalfx.com/v2/trace/otlp")]
    [Arguments("https://ingest.eu0.signalfx.com/v2/trace/otlp", "https://ingest.eu0.signalfx.com/v2/trace/otlp")]
    [Arguments("https://http-intake.logs.datadoghq.com:443", "https://otlp.datadoghq.com/v1/traces")]
    [Arguments("https://http-intake.logs.datadoghq.eu", "https://otlp.datadoghq.eu/v1/traces")]
    public async Task EndpointFlag_BaseOrFullUrl_GetsTheRightPath(string endpoint, string expected)
    {
        OtlpSettings s = Resolve(new OtlpFlags { Endpoint = endpoint },
            ("HONEYCOMB_API_KEY", "k1"), ("NEW_RELIC_LICENSE_KEY", "k2"), ("SPLUNK_ACCESS_TOKEN", "k3"), ("DD_API_KEY", "k4"));
        await Assert.That(s.Url.ToString()).IsEqualTo(expected);
    }

    [Test]
    public async Task Splunk_Metrics_UseDatapointPath()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Endpoint = "https://ingest.us1.signalfx.com", Headers = ["X-SF-Token: t"] }, OtlpSignal.Metrics);
        await Assert.That(s.Url.ToString()).IsEqualTo("https://ingest.us1.signalfx.com/v2/datapoint/otlp");
        await Assert.That(s.Backend).IsEqualTo("splunk");
    }

    [Test]
    public async Task SignalEndpointEnv_IsUsedAsIs_AndWinsOverGeneric()
    {
        OtlpSettings s = Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4318"));
        await Assert.That(s.Url.ToString()).IsEqualTo("http://collector:4318/");
        OtlpSettings custom = Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom/path"));
        await Assert.That(custom.Url.ToString()).IsEqualTo("http://collector:4318/custom/path");
    }

    [Test]
    public async Task GenericEndpointEnv_GetsSignalPathAppended()
    {
        OtlpSettings s = Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318/mycollector/"));
        await Assert.That(s.Url.ToString()).IsEqualTo("http://c:4318/mycollector/v1/traces");
        OtlpSettings m = Resolve(new OtlpFlags(), OtlpSignal.Metrics, ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"));
        await Assert.That(m.Url.ToString()).IsEqualTo("http://c:4318/v1/metrics");
    }

    [Test]
    public async Task Flags_WinOverEnvironment()
    {
        OtlpSettings s = Resolve(
            new OtlpFlags { Endpoint = "http://flag:1234", Protocol = OtlpProtocol.HttpJson, Compression = OtlpCompression.None, TimeoutSeconds = 2.5, ServiceName = "flag-svc", Headers = ["x-a: flag"] },
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), ("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "500"), ("OTEL_SERVICE_NAME", "env-svc"), ("OTEL_EXPORTER_OTLP_HEADERS", "x-a=env,x-b=env"));
        await Assert.That(s.Url.ToString()).IsEqualTo("http://flag:1234/v1/traces");
        await Assert.That(s.Protocol).IsEqualTo(OtlpProtocol.HttpJson);
        await Assert.That(s.Gzip).IsFalse();
        await Assert.That(s.Timeout).IsEqualTo(TimeSpan.FromSeconds(2.5));
        await Assert.That(s.ServiceName).IsEqualTo("flag-svc");
        await Assert.That(s.Headers.Single(h => h.Key == "x-a").Value).IsEqualTo("flag");
        await Assert.That(s.Headers.Single(h => h.Key == "x-b").Value).IsEqualTo("env");
    }

    [Test]
    public async Task SignalSpecificEnv_WinsOverGeneric()
    {
        OtlpSettings s = Resolve(new OtlpFlags(),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"), ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_COMPRESSION", "none"), ("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzip"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "500"), ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "0"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "a=generic"), ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "b=signal"));
        await Assert.That(s.Protocol).IsEqualTo(OtlpProtocol.HttpProtobuf);
        await Assert.That(s.Gzip).IsTrue();
        await Assert.That(s.Timeout).IsNull();
        await Assert.That(s.Headers.Select(h => h.Key).ToArray()).IsEquivalentTo(new[] { "b" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task TimeoutEnv_NegativeOrGarbage_IsIgnoredWithWarning()
    {
        OtlpSettings s = Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "-5"), ("OTEL_EXPORTER_OTLP_TIMEOUT", "2000"));
        await Assert.That(s.Timeout).IsEqualTo(TimeSpan.FromSeconds(2));
        await Assert.That(s.Warnings.Single()).Contains("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT");
        OtlpSettings g = Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_TIMEOUT", "ten"));
        await Assert.That(g.Timeout).IsEqualTo(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task HeaderFlag_AcceptsColonAndEqualsForms()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Headers = ["Authorization: Basic YWJjOmRlZg==", "x-key=a:b", "x-honeycomb-team:  spaced  "] });
        await Assert.That(s.Headers[0]).IsEqualTo(new KeyValuePair<string, string>("Authorization", "Basic YWJjOmRlZg=="));
        await Assert.That(s.Headers[1]).IsEqualTo(new KeyValuePair<string, string>("x-key", "a:b"));
        await Assert.That(s.Headers[2]).IsEqualTo(new KeyValuePair<string, string>("x-honeycomb-team", "spaced"));
    }

    [Test]
    [Arguments("no-separator-secret")]
    [Arguments(": value-only")]
    [Arguments("bad name: secretvalue")]
    public async Task HeaderFlag_Invalid_ThrowsWithoutEchoingTheValue(string header)
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Headers = [header] }));
        await Assert.That(ex!.ExitCode).IsEqualTo(ExitCodes.Usage);
        await Assert.That(ex.Message).Contains("--header #1");
        await Assert.That(ex.Message).DoesNotContain("secret");
    }

    [Test]
    public async Task HeadersEnv_SplitsThenPercentDecodesEachKeyAndValue()
    {
        OtlpSettings s = Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic%20abc%3D%3D, x-list = a%2Cb ,broken,x-eq=k=v"));
        await Assert.That(s.Headers.Count).IsEqualTo(3);
        await Assert.That(s.Headers[0].Value).IsEqualTo("Basic abc==");
        await Assert.That(s.Headers[1]).IsEqualTo(new KeyValuePair<string, string>("x-list", "a,b"));
        await Assert.That(s.Headers[2].Value).IsEqualTo("k=v");
        await Assert.That(s.Warnings.Single()).Contains("entry #3 of OTEL_EXPORTER_OTLP_HEADERS");
    }

    [Test]
    public async Task ResourceAttributes_AreDecoded_AndServiceNamePrecedenceHolds()
    {
        OtlpSettings s = Resolve(new OtlpFlags(), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,deployment.environment=prod%2Ceu,team=a%3Db"));
        await Assert.That(s.ServiceName).IsEqualTo("from-attrs");
        await Assert.That(s.ResourceAttributes.Count).IsEqualTo(2);
        await Assert.That(s.ResourceAttributes[0]).IsEqualTo(new KeyValuePair<string, string>("deployment.environment", "prod,eu"));
        await Assert.That(s.ResourceAttributes[1].Value).IsEqualTo("a=b");

        OtlpSettings env = Resolve(new OtlpFlags(), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs"), ("OTEL_SERVICE_NAME", "from-env"));
        await Assert.That(env.ServiceName).IsEqualTo("from-env");
        OtlpSettings flag = Resolve(new OtlpFlags { ServiceName = "my-agent" }, ("OTEL_SERVICE_NAME", "from-env"));
        await Assert.That(flag.ServiceName).IsEqualTo("my-agent");
    }

    [Test]
    [Arguments("a=1,b=%ZZ")]
    [Arguments("a=1,novalue")]
    [Arguments("a=%C3%28")]
    public async Task ResourceAttributes_DecodeError_DiscardsWholeVariable(string value)
    {
        OtlpSettings s = Resolve(new OtlpFlags(), ("OTEL_RESOURCE_ATTRIBUTES", value));
        await Assert.That(s.ResourceAttributes.Count).IsEqualTo(0);
        await Assert.That(s.Warnings.Single()).Contains("OTEL_RESOURCE_ATTRIBUTES");
    }

    [Test]
    [Arguments("honeycomb", "x-honeycomb-team", "HONEYCOMB_API_KEY")]
    [Arguments("newrelic", "api-key", "NEW_RELIC_LICENSE_KEY")]
    [Arguments("splunk", "X-SF-Token", "SPLUNK_ACCESS_TOKEN")]
    [Arguments("datadog", "dd-api-key", "DD_API_KEY")]
    public async Task BackendPreset_MissingKey_NamesHeaderAndVariable(string backend, string header, string variable)
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Backend = OtlpBackends.Presets.Parse(backend), Endpoint = "http://127.0.0.1:4318" }));
        await Assert.That(ex!.Message).Contains(header);
        await Assert.That(ex.Message).Contains(variable);
        await Assert.That(ex.ExitCode).IsEqualTo(ExitCodes.Usage);
    }

    [Test]
    public async Task BackendPreset_KeyFromEnvironment_FillsTheHeader()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Backend = BackendPreset.Honeycomb }, ("HONEYCOMB_API_KEY", "hc-key"));
        await Assert.That(s.Url.ToString()).IsEqualTo("https://api.honeycomb.io/v1/traces");
        await Assert.That(s.Headers.Single(h => h.Key == "x-honeycomb-team").Value).IsEqualTo("hc-key");
    }

    [Test]
    public async Task SeedCommand_HoneycombWithEmptyKey_FailsClearly()
    {
        // agent-strace export … --endpoint https://api.honeycomb.io --header "x-honeycomb-team: $HONEYCOMB_API_KEY" with the variable unset.
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Endpoint = "https://api.honeycomb.io", Headers = ["x-honeycomb-team: "] }));
        await Assert.That(ex!.Message).Contains("x-honeycomb-team");
    }

    [Test]
    public async Task Datadog_SeedIntakeHost_IsRewrittenWithOtlpHeaders()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Endpoint = "https://http-intake.logs.datadoghq.com:443", Headers = ["DD-API-KEY: dd-secret"] });
        await Assert.That(s.Url.ToString()).IsEqualTo("https://otlp.datadoghq.com/v1/traces");
        await Assert.That(s.Backend).IsEqualTo("datadog");
        await Assert.That(s.Headers.Any(h => h.Key == "dd-protocol" && h.Value == "otlp")).IsTrue();
        await Assert.That(s.Headers.Any(h => h.Key == "dd-otlp-source")).IsTrue();
        await Assert.That(s.Warnings.Single()).Contains("logs intake");
        await Assert.That(string.Join(" ", s.Warnings)).DoesNotContain("dd-secret");
    }

    [Test]
    public async Task Datadog_Grpc_IsRejected()
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Backend = BackendPreset.Datadog, Protocol = OtlpProtocol.Grpc }, ("DD_API_KEY", "k")));
        await Assert.That(ex!.Message).Contains("gRPC");
    }

    [Test]
    public async Task Langfuse_BuildsBasicAuthAndIngestionVersion()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Backend = BackendPreset.Langfuse }, ("LANGFUSE_PUBLIC_KEY", "pk-lf-1"), ("LANGFUSE_SECRET_KEY", "sk-lf-2"));
        await Assert.That(s.Url.ToString()).IsEqualTo("https://cloud.langfuse.com/api/public/otel/v1/traces");
        await Assert.That(s.Headers.Single(h => h.Key == "Authorization").Value).IsEqualTo("Basic " + Convert.ToBase64String("pk-lf-1:sk-lf-2"u8.ToArray()));
        await Assert.That(s.Headers.Single(h => h.Key == "x-langfuse-ingestion-version").Value).IsEqualTo("4");

        OtlpSettings self = Resolve(new OtlpFlags { Backend = BackendPreset.Langfuse, LangfuseHost = "https://lf.example.com", LangfusePublicKey = "pk", LangfuseSecretKey = "sk" });
        await Assert.That(self.Url.ToString()).IsEqualTo("https://lf.example.com/api/public/otel/v1/traces");
        OtlpSettings given = Resolve(new OtlpFlags { Backend = BackendPreset.Langfuse, Endpoint = "https://lf.example.com/api/public/otel", LangfusePublicKey = "pk", LangfuseSecretKey = "sk" });
        await Assert.That(given.Url.ToString()).IsEqualTo("https://lf.example.com/api/public/otel/v1/traces");
    }

    [Test]
    public async Task Langfuse_GrpcOrMissingKeys_AreClearErrors()
    {
        AgentStraceException? grpc = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Backend = BackendPreset.Langfuse, Protocol = OtlpProtocol.Grpc, LangfusePublicKey = "pk", LangfuseSecretKey = "sk" }));
        await Assert.That(grpc!.Message).Contains("gRPC");
        AgentStraceException? keys = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Backend = BackendPreset.Langfuse }));
        await Assert.That(keys!.Message).Contains("LANGFUSE_SECRET_KEY");
    }

    [Test]
    public async Task Jaeger_Metrics_AreRejected_AndDefaultsAreLocal()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Backend = BackendPreset.Jaeger, Protocol = OtlpProtocol.Grpc });
        await Assert.That(s.Url.Authority).IsEqualTo("localhost:4317");
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Backend = BackendPreset.Jaeger }, OtlpSignal.Metrics));
        await Assert.That(ex!.Message).Contains("metrics");
    }

    [Test]
    public async Task InvalidEndpoint_IsUsageError()
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Endpoint = "localhost:4318" }));
        await Assert.That(ex!.Message).Contains("--endpoint");
        await Assert.That(ex.ExitCode).IsEqualTo(ExitCodes.Usage);
    }

    /// <summary>The choice words are read once, where they enter: a flag's word by the command line, a variable's here.</summary>
    [Test]
    [Arguments("OTEL_EXPORTER_OTLP_PROTOCOL", "htp/json", "Invalid OTEL_EXPORTER_OTLP_PROTOCOL 'htp/json': use http/protobuf, http/json or grpc. Did you mean 'http/json'?")]
    [Arguments("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "thrift", "Invalid OTEL_EXPORTER_OTLP_TRACES_PROTOCOL 'thrift': use http/protobuf, http/json or grpc.")]
    [Arguments("OTEL_EXPORTER_OTLP_COMPRESSION", "gzp", "Invalid OTEL_EXPORTER_OTLP_COMPRESSION 'gzp': use gzip or none. Did you mean 'gzip'?")]
    [Arguments("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "zstd", "Invalid OTEL_EXPORTER_OTLP_TRACES_COMPRESSION 'zstd': use gzip or none.")]
    public async Task InvalidEnvironmentWord_IsUsageError_WithTheNearestWord(string variable, string value, string expected)
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags(), (variable, value)));
        await Assert.That(ex!.Message).IsEqualTo(expected);
        await Assert.That(ex.ExitCode).IsEqualTo(ExitCodes.Usage);
    }

    [Test]
    [Arguments(" GRPC ", OtlpProtocol.Grpc)]
    [Arguments("http/json", OtlpProtocol.HttpJson)]
    public async Task EnvironmentProtocol_AnyCase_IsRead(string value, OtlpProtocol expected)
    {
        OtlpSettings s = Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_PROTOCOL", value), ("OTEL_EXPORTER_OTLP_COMPRESSION", "GZIP"));
        await Assert.That(s.Protocol).IsEqualTo(expected);
        await Assert.That(s.Gzip).IsTrue();
    }

    /// <summary>A flag's enum wins over the variables, which are then not read (a bad one does not fail a run that overrides it).</summary>
    [Test]
    public async Task FlagEnum_WinsOverABadVariable()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Protocol = OtlpProtocol.HttpJson, Compression = OtlpCompression.None },
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "thrift"), ("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"));
        await Assert.That(s.Protocol).IsEqualTo(OtlpProtocol.HttpJson);
        await Assert.That(s.Gzip).IsFalse();
    }

    [Test]
    [Arguments("grafana", BackendPreset.Tempo)]
    [Arguments("New-Relic", BackendPreset.NewRelic)]
    [Arguments(" Langfuse ", BackendPreset.Langfuse)]
    public async Task BackendOldSpellings_AreAccepted(string word, BackendPreset expected) =>
        await Assert.That(OtlpBackends.Presets.Parse(word)).IsEqualTo(expected);

    [Test]
    public async Task Endpoint_WithUserInfoAndQuery_IsNotDisplayed()
    {
        OtlpSettings s = Resolve(new OtlpFlags { Endpoint = "https://user:pw-secret@collector.example:4318/v1/traces?token=q-secret" });
        await Assert.That(s.DisplayUrl).IsEqualTo("https://collector.example:4318/v1/traces");
    }

    [Test]
    public async Task CertificateEnv_MissingFile_IsUsageError()
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_CERTIFICATE", "/nonexistent/ca.pem")));
        await Assert.That(ex!.Message).Contains("OTEL_EXPORTER_OTLP_CERTIFICATE");
        using var temp = new TempDir();
        string pem = Path.Combine(temp.Path, "ca.pem");
        File.WriteAllText(pem, "");
        await Assert.That(Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", pem)).CertificatePath).IsEqualTo(pem);
    }

    [Test]
    [Arguments("X-A: v\r\nInjected: yes")]
    [Arguments("X-A: v\nInjected: yes")]
    [Arguments("x-a=v\0")]
    public async Task HeaderFlag_WithLineBreakOrNul_IsUsageError(string header)
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags { Headers = [header] }));
        await Assert.That(ex!.Message).Contains("--header #1");
        await Assert.That(ex.Message).DoesNotContain("Injected");
    }

    [Test]
    [Arguments("x-a=v%0D%0AInjected%3A%20yes")]
    [Arguments("x-a=v%0AInjected%3A%20yes")]
    [Arguments("ok=1,x-a=v%00")]
    public async Task HeadersEnv_WithEncodedLineBreakOrNul_IsUsageError(string value)
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() => Resolve(new OtlpFlags(), ("OTEL_EXPORTER_OTLP_HEADERS", value)));
        await Assert.That(ex!.Message).Contains("OTEL_EXPORTER_OTLP_HEADERS");
        await Assert.That(ex.Message).DoesNotContain("Injected");
    }

    [Test]
    public async Task BackendKeyVariable_WithLineBreak_IsUsageError()
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() =>
            Resolve(new OtlpFlags { Backend = BackendPreset.Honeycomb }, ("HONEYCOMB_API_KEY", "key\r\nInjected: yes")));
        await Assert.That(ex!.Message).Contains("line break");
        await Assert.That(ex.Message).DoesNotContain("key\r");
    }

    [Test]
    [Arguments("https://user:p%40ss@collector.example:4318", "grpc")]
    [Arguments("https://user:p%40ss@collector.example:4318", "http/protobuf")]
    public async Task Endpoint_UserInfo_BecomesBasicAuth_AndLeavesTheUrl(string endpoint, string protocol)
    {
        OtlpSettings s = Resolve(new OtlpFlags { Endpoint = endpoint, Protocol = OtlpNames.Protocols.Parse(protocol) });
        await Assert.That(s.Url.UserInfo).IsEqualTo("");
        KeyValuePair<string, string> auth = s.Headers.Single(h => h.Key == "Authorization");
        await Assert.That(auth.Value).IsEqualTo("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("user:p@ss")));
    }

    [Test]
    public async Task Endpoint_UserInfoAndAuthorizationHeader_IsUsageError()
    {
        AgentStraceException? ex = Assert.Throws<AgentStraceException>(() =>
            Resolve(new OtlpFlags { Endpoint = "https://user:pw-secret@collector.example", Headers = ["Authorization: Bearer t"] }));
        await Assert.That(ex!.Message).Contains("give the credentials once");
        await Assert.That(ex.Message).DoesNotContain("pw-secret");
    }
}
