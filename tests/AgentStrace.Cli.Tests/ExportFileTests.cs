using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary><c>export --format otlp|otlp-genai|json|ndjson|csv</c> without an endpoint: stdout and files.</summary>
public sealed class ExportFileTests
{
    [Test]
    public async Task OtlpToStdout_IsOneOtlpJsonRequest_RootFirst()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "c7a05e3f91d24b68", "--format", "otlp-genai");
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        JsonElement rs = doc.RootElement.GetProperty("resourceSpans")[0];
        JsonElement spans = rs.GetProperty("scopeSpans")[0].GetProperty("spans");
        await Assert.That(spans.GetArrayLength()).IsEqualTo(5);
        await Assert.That(spans[0].GetProperty("name").GetString()).IsEqualTo("gen_ai.agent.session (support-bot)");
        await Assert.That(spans[0].GetProperty("traceId").GetString()).IsEqualTo("ec7c01f7702ae2bd7ab72c9321f4b973");
        await Assert.That(spans[1].GetProperty("startTimeUnixNano").GetString()).IsEqualTo("1778145300097745920");
        await Assert.That(spans[1].GetProperty("kind").GetInt32()).IsEqualTo(3);
        await Assert.That(rs.GetProperty("resource").GetProperty("attributes")[0].GetProperty("value").GetProperty("stringValue").GetString()).IsEqualTo("agent-trace");
    }

    [Test]
    public async Task OtlpToFile_ProtobufForPbExtension_AndServiceNameFromEnv()
    {
        using var dir = new TempDir();
        string pb = Path.Combine(dir.Path, "trace.pb");
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Repo.SampleStore, "export", "9f1c", "--format", "otlp", "--output", pb], dir.Path,
            new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "from-env" });
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("written to");
        byte[] bytes = File.ReadAllBytes(pb);
        await Assert.That(bytes[0]).IsEqualTo((byte)0x0a); // ExportTraceServiceRequest.resource_spans, field 1, LEN
        await Assert.That(System.Text.Encoding.UTF8.GetString(bytes)).Contains("from-env");
        await Assert.That(System.Text.Encoding.UTF8.GetString(bytes)).Contains("tool/Read");
    }

    [Test]
    public async Task ExportAll_WithAnUnreadableMeta_WarnsOnceAndExportsTheRest()
    {
        using var dir = TempDir.WithSampleStore();
        Directory.CreateDirectory(Path.Combine(dir.Store, "broken"));
        File.WriteAllText(Path.Combine(dir.Store, "broken", "meta.json"), "{not json");
        string json = Path.Combine(dir.Path, "all.json");
        var r = await AgentStraceCli.RunAsync("--trace-dir", dir.Store, "export", "--all", "--format", "otlp", "--output", json);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stderr.Split('\n').Count(l => l.Contains("skipping") && l.Contains("broken"))).IsEqualTo(1).Because(r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        await Assert.That(doc.RootElement.GetProperty("resourceSpans").GetArrayLength()).IsEqualTo(3);

        var one = await AgentStraceCli.RunAsync("--trace-dir", dir.Store, "export", "c7a05e3f91d24b68", "--format", "otlp", "--output", json);
        await Assert.That(one.ExitCode).IsEqualTo(0).Because(one.ToString());
        await Assert.That(one.Stderr).DoesNotContain("skipping");
    }

    [Test]
    public async Task Ndjson_IsTheStoredLines()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "b41d", "--format", "ndjson");
        await Assert.That(r.Stdout).IsEqualTo(File.ReadAllText(Path.Combine(Repo.SampleStore, "b41d7e09c2a84f65", "events.ndjson")));
    }

    [Test]
    public async Task Csv_HeaderAndRows()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "c7a05e3f91d24b68", "--format", "csv");
        string[] lines = r.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines[0]).IsEqualTo("session_id,timestamp,event_type,event_id,parent_id,duration_ms,data");
        await Assert.That(lines.Length).IsEqualTo(15);
        await Assert.That(lines[4]).StartsWith("c7a05e3f91d24b68,1778145302.95862,llm_response,a2c7e4f90b16,6f3a0c8e2b71,2860.8741760253906,\"{\"\"model\"\"");
    }

    [Test]
    public async Task Csv_AllSessions_EveryRowNamesItsSession()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "--all", "--format", "csv");
        string[] rows = r.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..];
        var ids = rows.Select(l => l[..l.IndexOf(',')]).Distinct().ToArray();
        await Assert.That(ids).IsEquivalentTo(new[] { "9f1c2b7e-5a4d-4c", "b41d7e09c2a84f65", "c7a05e3f91d24b68" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task UnknownFormat_Exit2()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "--format", "yaml");
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains("Unknown --format 'yaml'");
    }

    [Test]
    public async Task BadSemconv_Exit2()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "--format", "otlp-genai", "--semconv", "v9");
        await Assert.That(r.ExitCode).IsEqualTo(2);
    }
}
