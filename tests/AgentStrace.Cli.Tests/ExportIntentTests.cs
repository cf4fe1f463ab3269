using System.Text.Json;
using AgentStrace.Cli.Tests.Langfuse;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>
/// What an export does with what the user asked for: the session meant when no id is given, endpoints from the
/// environment, the format an endpoint implies, conflicting flags, binary output and the User-Agent.
/// </summary>
[ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
public sealed class ExportIntentTests(FakeCollector collector)
{
    [Test]
    public async Task NoId_ExportsTheNewestTopLevelSessionWithItsSubAgent()
    {
        using var dir = new TempDir();
        string store = MakeDemoLikeStore(dir.Path);
        var r = await AgentStraceCli.RunAsync(["--trace-dir", store, "export", "--format", "otlp-genai"]);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var sessions = doc.RootElement.GetProperty("resourceSpans").EnumerateArray()
            .Select(rs => rs.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .First(a => a.GetProperty("key").GetString() == "agent.session_id").GetProperty("value").GetProperty("stringValue").GetString()!)
            .Distinct().ToArray();
        await Assert.That(sessions).IsEquivalentTo(new[] { "parent-session", "child-session" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        var inspect = await AgentStraceCli.RunAsync(["--trace-dir", store, "inspect"]);
        await Assert.That(inspect.Stdout).Contains("parent-session");
    }

    [Test]
    public async Task EnvEndpointAlone_SendsOtlpGenAi_NothingOnStdout()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope();
        var r = await AgentStraceCli.RunAsync(["export", store.Sdk], store.Root, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.HttpUrl,
            ["OTEL_EXPORTER_OTLP_HEADERS"] = $"{FakeCollector.ScopeHeader}={scope.Id}",
        });
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).IsEmpty();
        await Assert.That(scope.Requests.Count).IsEqualTo(1);
        await Assert.That(scope.Requests[0].Path).IsEqualTo("/v1/traces");
        var spans = OtlpWire.DecodeTraceRequest(scope.Requests[0].Body);
        await Assert.That(spans.Any(s => s.Name == "gen_ai.client.operation")).IsTrue();
        string ua = scope.Requests[0].Header("user-agent")!;
        await Assert.That(ua).Contains("OTel-OTLP-Exporter-Dotnet/");
        await Assert.That(ua).StartsWith("agent-strace/");
    }

    [Test]
    public async Task EndpointFlagWithoutFormat_SendsOtlpGenAi()
    {
        using var store = new FreshStore();
        FakeScope scope = collector.NewScope();
        var r = await AgentStraceCli.RunAsync(["export", store.Sdk, "--endpoint", collector.HttpUrl, "--header", scope.HeaderArgument], store.Root);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        var spans = OtlpWire.DecodeTraceRequest(scope.Requests[0].Body);
        await Assert.That(spans.Any(s => s.Name.StartsWith("gen_ai.tool.call/", StringComparison.Ordinal))).IsTrue();
    }

    [Test]
    [Arguments("--output", "x.pb", "--protocol", "http/json", "--format", "otlp")]
    [Arguments("--output", "x.json", "--protocol", "http/protobuf", "--format", "otlp-genai")]
    [Arguments("--format", "otlp", "--semconv", "v1.41", "", "")]
    [Arguments("--format", "csv", "--semconv", "latest", "", "")]
    [Arguments("--metrics", "--semconv", "v1.41", "", "", "")]
    [Arguments("--output", "x.json", "--endpoint", "http://127.0.0.1:9", "", "")]
    [Arguments("--format", "csv", "--protocol", "grpc", "", "")]
    public async Task ConflictingFlags_Exit2NamingTheConflict(string a, string b, string c, string d, string e, string f)
    {
        using var dir = new TempDir();
        string[] extra = new[] { a, b, c, d, e, f }.Where(x => x.Length > 0).ToArray();
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Repo.SampleStore, "export", "c7a05", .. extra], dir.Path);
        await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("Conflicting flags");
        await Assert.That(Directory.GetFiles(dir.Path)).IsEmpty();
    }

    [Test]
    public async Task Protobuf_ToATerminal_IsRefused_ToAPipe_IsWritten()
    {
        using var dir = new TempDir();
        // script(1) gives the binary a pseudo-terminal as stdout.
        string cmd = $"'{AgentStraceCli.BinaryPath}' --trace-dir '{Repo.SampleStore}' export c7a05 --format otlp --protocol http/protobuf; echo EXIT=$?";
        var tty = await ProcessRunner.RunAsync("script", ["-qec", cmd, "/dev/null"], TimeSpan.FromSeconds(60), null, dir.Path);
        await Assert.That(tty.Stdout).Contains("binary protobuf and stdout is a terminal");
        await Assert.That(tty.Stdout).Contains("EXIT=2");

        var piped = await AgentStraceCli.RunAsync(["--trace-dir", Repo.SampleStore, "export", "c7a05", "--format", "otlp", "--protocol", "http/protobuf"]);
        await Assert.That(piped.ExitCode).IsEqualTo(0).Because(piped.ToString());
        await Assert.That(piped.Stdout.Length).IsGreaterThan(100);
    }

    [Test]
    public async Task ResourceKeys_AreUnique_EnvironmentBeatsDefaults()
    {
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Repo.SampleStore, "export", "c7a05", "--format", "otlp-genai"], null,
            new Dictionary<string, string?> { ["OTEL_RESOURCE_ATTRIBUTES"] = "telemetry.sdk.language=go,k=1,k=2,service.name=ra", ["OTEL_SERVICE_NAME"] = "svc" });
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        JsonElement rs = doc.RootElement.GetProperty("resourceSpans")[0];
        var attrs = rs.GetProperty("resource").GetProperty("attributes").EnumerateArray()
            .Select(a => (Key: a.GetProperty("key").GetString()!, Value: a.GetProperty("value").GetProperty("stringValue").GetString()!)).ToList();
        await Assert.That(attrs.Select(a => a.Key).Distinct().Count()).IsEqualTo(attrs.Count);
        await Assert.That(attrs.First(a => a.Key == "service.name").Value).IsEqualTo("svc");
        await Assert.That(attrs.First(a => a.Key == "telemetry.sdk.language").Value).IsEqualTo("go");
        await Assert.That(attrs.First(a => a.Key == "k").Value).IsEqualTo("2");
        await Assert.That(attrs.Any(a => a.Key == "telemetry.sdk.version")).IsTrue();
        JsonElement scope = rs.GetProperty("scopeSpans")[0];
        await Assert.That(scope.GetProperty("scope").GetProperty("name").GetString()).IsEqualTo("agent-strace");
        await Assert.That(scope.GetProperty("schemaUrl").GetString()).IsEqualTo("https://opentelemetry.io/schemas/1.41.0");
    }

    // A parent that starts first and a sub-agent that starts 14 s later (the demo's shape).
    private static string MakeDemoLikeStore(string root)
    {
        string store = Path.Combine(root, "store");
        SyntheticStore.AddSession(store, "parent-session", 1_700_000_000, toolCalls: 3);
        SyntheticStore.AddSession(store, "child-session", 1_700_000_014, toolCalls: 2);
        string meta = Path.Combine(store, "child-session", "meta.json");
        string text = File.ReadAllText(meta);
        File.WriteAllText(meta, text.TrimEnd().TrimEnd('}') + ", \"parent_session_id\": \"parent-session\", \"depth\": 1}");
        return store;
    }
}
