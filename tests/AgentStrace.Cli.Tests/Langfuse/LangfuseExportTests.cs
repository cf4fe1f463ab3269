using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Langfuse;

/// <summary><c>export --backend langfuse [--scores]</c> through the AOT binary against a loopback Langfuse.</summary>
public sealed class LangfuseExportTests
{
    private const string PublicKey = "pk-lf-test-0a1b2c3d";
    private const string SecretKey = "sk-lf-SECRET-9f8e7d6c5b4a";
    private const string Sdk = "c7a05e3f91d24b68";
    private const string Hooks = "9f1c2b7e-5a4d-4c";
    private const string Subagent = "b41d7e09c2a84f65";

    private static Dictionary<string, string?> Keys(string? publicKey = PublicKey, string? secretKey = SecretKey) => new()
    {
        ["LANGFUSE_PUBLIC_KEY"] = publicKey, ["LANGFUSE_SECRET_KEY"] = secretKey, ["LANGFUSE_HOST"] = null, ["LANGFUSE_BASE_URL"] = null,
    };

    private static Task<CliResult> Export(TempDir dir, FakeLangfuse fake, params string[] extra) =>
        AgentStraceCli.RunAsync(["export", .. extra, "--backend", "langfuse", "--langfuse-host", fake.Url], dir.Path, Keys());

    private static string Hex16(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    private static string Hex8(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    [Test]
    public async Task Export_SdkSession_GenerationsToolsAgentSessionAndUsage()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var r = await Export(dir, fake, Sdk);

        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(fake.Problems).IsEmpty();
        await Assert.That(fake.Requests.All(q => q.Path == FakeLangfuse.TracesPath)).IsTrue();
        await Assert.That(fake.Requests[0].Headers["x-langfuse-ingestion-version"]).IsEqualTo("4");
        await Assert.That(r.Stdout.Trim()).IsEqualTo("Langfuse: 1/1 sessions exported.");
        await Assert.That(r.Stderr).Contains("Langfuse: exported session c7a05e3f91d2 (14 events, 8 spans)\n");
        await Assert.That(r.Stderr.StartsWith("Langfuse: exported session", StringComparison.Ordinal)).IsTrue();

        var spans = fake.Spans;
        // 5 spans plus the prompt, the decision and the answer as event observations.
        await Assert.That(spans.Count).IsEqualTo(8);
        await Assert.That(spans.All(s => s.TraceId == Hex16(Sdk))).IsTrue();
        // Trace-level keys only on the root; release from the tool (the session has no git commit).
        await Assert.That(spans.Count(s => s.Str("session.id") == Sdk)).IsEqualTo(1);
        await Assert.That(spans.Count(s => s.Attributes.ContainsKey("langfuse.trace.tags"))).IsEqualTo(1);
        await Assert.That(spans.All(s => s.Str("langfuse.release")?.StartsWith("agent-strace@", StringComparison.Ordinal) == true)).IsTrue();
        await Assert.That(spans.Any(s => s.Attributes.ContainsKey("langfuse.environment"))).IsFalse();
        var events = spans.Where(s => s.Str("langfuse.observation.type") == "event").Select(s => s.Name).ToArray();
        await Assert.That(events).IsEquivalentTo(new[] { "user_prompt", "decision", "assistant_response" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        var first = spans.Single(s => s.SpanId == Hex8("6f3a0c8e2b71"));
        await Assert.That(first.Str("langfuse.observation.type")).IsEqualTo("generation");
        await Assert.That(first.Name).IsEqualTo("chat claude-sonnet-4-6");
        await Assert.That(first.Str("langfuse.observation.model.name")).IsEqualTo("claude-sonnet-4-6");
        using (var usage = JsonDocument.Parse(first.Str("langfuse.observation.usage_details")!))
        {
            await Assert.That(usage.RootElement.GetProperty("input").GetInt64()).IsEqualTo(1840);
            await Assert.That(usage.RootElement.GetProperty("output").GetInt64()).IsEqualTo(212);
            await Assert.That(usage.RootElement.GetProperty("total").GetInt64()).IsEqualTo(2052);
        }
        await Assert.That(first.Str("langfuse.observation.model.parameters")).IsEqualTo("{\"max_tokens\":1024}");
        await Assert.That(first.Str("langfuse.observation.input")).IsEqualTo("Customer #4411 says their refund never arrived...");
        await Assert.That(first.Str("langfuse.observation.output")).IsEqualTo("I'll look up order 4411 before answering.");
        using (var cost = JsonDocument.Parse(first.Str("langfuse.observation.cost_details")!))
        {
            // claude-sonnet-4-6 at $3 / $15 per million tokens (built-in pricing table).
            await Assert.That(cost.RootElement.GetProperty("input").GetDouble()).IsEqualTo(1840 * 3 / 1e6).Within(1e-12);
            await Assert.That(cost.RootElement.GetProperty("output").GetDouble()).IsEqualTo(212 * 15 / 1e6).Within(1e-12);
            await Assert.That(cost.RootElement.GetProperty("total").GetDouble()).IsEqualTo(1840 * 3 / 1e6 + 212 * 15 / 1e6).Within(1e-12);
        }

        var second = spans.Single(s => s.SpanId == Hex8("f5d1c8b3e702"));
        await Assert.That(second.Str("langfuse.observation.usage_details")).IsEqualTo("{\"input\":2310,\"output\":96,\"total\":2406}");
        await Assert.That(second.Attributes.ContainsKey("langfuse.observation.input")).IsFalse();

        var tool = spans.Single(s => s.SpanId == Hex8("7d0e5b3a9f28"));
        await Assert.That(tool.Str("langfuse.observation.type")).IsEqualTo("tool");
        await Assert.That(tool.Str("langfuse.observation.input")).IsEqualTo("{\"order_id\":\"'4411'\"}");
        await Assert.That(tool.Str("langfuse.observation.output")).Contains("'status': 'refunded'");

        var failed = spans.Single(s => s.SpanId == Hex8("58a4c9e0d2b1"));
        await Assert.That(failed.Str("langfuse.observation.type")).IsEqualTo("tool");
        await Assert.That(failed.StatusCode).IsEqualTo(2);
        await Assert.That(failed.Str("langfuse.observation.level")).IsEqualTo("ERROR");
        await Assert.That(failed.Str("langfuse.observation.status_message")).IsEqualTo("SMTP timeout after 10s");

        var root = spans.Single(s => s.SpanId == Hex8("root-" + Sdk));
        await Assert.That(root.ParentSpanId).IsEqualTo("");
        await Assert.That(root.Str("langfuse.observation.type")).IsEqualTo("agent");
        await Assert.That(root.Str("langfuse.trace.name")).IsEqualTo("agent-session (support-bot)");
        await Assert.That(root.Str("langfuse.observation.usage_details")).IsEqualTo("{}");
        await Assert.That(root.Str("langfuse.trace.input")).IsEqualTo("Customer #4411 says their refund never arrived. Find out why and reply.");
        await Assert.That(root.Str("langfuse.trace.output")).StartsWith("Your refund of $42.50 was issued on May 2");
        using var metadata = JsonDocument.Parse(root.Str("langfuse.trace.metadata")!);
        await Assert.That(metadata.RootElement.GetProperty("total_tokens").GetInt64()).IsEqualTo(4458);
        await Assert.That(metadata.RootElement.GetProperty("agent_name").GetString()).IsEqualTo("support-bot");
    }

    [Test]
    public async Task Scores_FromEvalJson_StableIdsSoARerunUpdates()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var r = await Export(dir, fake, Sdk, "--scores");

        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(fake.Problems).IsEmpty();
        await Assert.That(r.Stderr).Contains("8 spans, 2 scores");
        var scores = fake.ScoreRequests;
        await Assert.That(scores.Count).IsEqualTo(2);
        await Assert.That(scores.Select(s => s.GetProperty("name").GetString()!)).IsEquivalentTo(["no_errors", "cost_under"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        JsonElement noErrors = scores.Single(s => s.GetProperty("name").GetString() == "no_errors");
        await Assert.That(noErrors.GetProperty("value").GetDouble()).IsEqualTo(0.0);
        await Assert.That(noErrors.GetProperty("traceId").GetString()).IsEqualTo(Hex16(Sdk));
        await Assert.That(noErrors.GetProperty("traceId").GetString()).IsEqualTo(fake.Spans[0].TraceId);
        await Assert.That(noErrors.GetProperty("dataType").GetString()).IsEqualTo("NUMERIC");
        await Assert.That(noErrors.GetProperty("comment").GetString()).IsEqualTo("threshold=1.0 passed=False");
        await Assert.That(noErrors.GetProperty("metadata").GetProperty("reason").GetString()).IsEqualTo("1 error(s) found");
        await Assert.That(noErrors.TryGetProperty("observationId", out _)).IsFalse();
        JsonElement cost = scores.Single(s => s.GetProperty("name").GetString() == "cost_under");
        await Assert.That(cost.GetProperty("value").GetDouble()).IsEqualTo(1.0);
        await Assert.That(cost.GetProperty("comment").GetString()).IsEqualTo("threshold=1.0 passed=True");
        var scoreRequests = fake.Requests.Where(q => q.Path == FakeLangfuse.ScoresPath).ToList();
        await Assert.That(scoreRequests.All(q => q.Headers["authorization"] == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(PublicKey + ":" + SecretKey)))).IsTrue();

        string[] firstIds = [.. scores.Select(s => s.GetProperty("id").GetString()!)];
        string[] firstSpans = [.. fake.Spans.Select(s => s.SpanId)];
        var again = await Export(dir, fake, Sdk, "--scores");
        await Assert.That(again.ExitCode).IsEqualTo(0).Because(again.ToString());
        await Assert.That(fake.ScoreRequests.Count).IsEqualTo(4);
        await Assert.That(fake.Scores.Count).IsEqualTo(2);
        await Assert.That(fake.ScoreRequests.Skip(2).Select(s => s.GetProperty("id").GetString()!)).IsEquivalentTo(firstIds, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(fake.Spans.Skip(firstSpans.Length).Select(s => s.SpanId)).IsEquivalentTo(firstSpans, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(firstIds.All(id => Guid.TryParse(id, out _))).IsTrue();

        // Dated at the session's start on every run (Langfuse keys a stored score by id and day), not at the run's time.
        using JsonDocument meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Store, Sdk, "meta.json")));
        DateTimeOffset started = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(meta.RootElement.GetProperty("started_at").GetDouble() * 1000));
        await Assert.That(fake.ScoreEvents.Count).IsEqualTo(4);
        foreach (JsonElement e in fake.ScoreEvents)
        {
            await Assert.That(DateTimeOffset.Parse(e.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).IsEqualTo(started);
        }
    }

    [Test]
    public async Task ScoreRejectedInThe207Answer_Exit3_NamesTheError()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        fake.RejectScoreName = "cost_under";
        var r = await Export(dir, fake, Sdk, "--scores");

        await Assert.That(r.ExitCode).IsEqualTo(3).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("Langfuse scores of session");
        await Assert.That(r.Stderr).Contains("rejected 1 of 2 scores");
        await Assert.That(r.Stderr).Contains("status 400: Invalid request data");
        await Assert.That(fake.Scores.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Subagent_StaysInParentTraceAndSession_WithUser()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var r = await Export(dir, fake, Hooks);

        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("Langfuse: exported session 9f1c2b7e-5a4");
        await Assert.That(r.Stderr).Contains("Langfuse: exported session b41d7e09c2a8");
        var spans = fake.Spans;
        await Assert.That(spans.All(s => s.TraceId == Hex16(Hooks))).IsTrue();
        // One trace root carries session and user; every span that names a conversation names the parent's session.
        await Assert.That(spans.Where(s => s.Attributes.ContainsKey("session.id")).Select(s => s.Str("session.id")!)).IsEquivalentTo(new[] { Hooks }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(spans.Where(s => s.Attributes.ContainsKey("user.id")).Select(s => s.Str("user.id")!)).IsEquivalentTo(new[] { "dev" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(spans.Where(s => s.Attributes.ContainsKey("gen_ai.conversation.id")).All(s => s.Str("gen_ai.conversation.id") == Hooks)).IsTrue();
        await Assert.That(spans.All(s => s.Str("langfuse.release") == "a1b2c3d")).IsTrue();
        var subRoot = spans.Single(s => s.SpanId == Hex8("root-" + Subagent));
        await Assert.That(subRoot.ParentSpanId).IsEqualTo(Hex8("e85b2c7d0a41"));
        await Assert.That(subRoot.Str("langfuse.observation.type")).IsEqualTo("agent");
        await Assert.That(subRoot.Attributes.ContainsKey("langfuse.trace.name")).IsFalse();
        await Assert.That(spans.Count(s => s.Attributes.ContainsKey("langfuse.trace.name"))).IsEqualTo(1);
    }

    [Test]
    public async Task NoContent_DropsInputsAndOutputs_KeepsUsage()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var r = await Export(dir, fake, Sdk, "--no-content");

        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        string[] content = ["langfuse.observation.input", "langfuse.observation.output", "langfuse.trace.input", "langfuse.trace.output", "gen_ai.tool.input.order_id"];
        await Assert.That(fake.Spans.Any(s => content.Any(s.Attributes.ContainsKey))).IsFalse();
        await Assert.That(fake.Spans.Count(s => s.Attributes.ContainsKey("langfuse.observation.usage_details") && s.Str("langfuse.observation.type") == "generation")).IsEqualTo(2);
    }

    [Test]
    [Arguments("LANGFUSE_HOST", "")]
    [Arguments("LANGFUSE_BASE_URL", "")]
    [Arguments("LANGFUSE_HOST", "/api/public/otel")]
    public async Task HostFromEnvironment_Honoured(string variable, string suffix)
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var env = Keys();
        env[variable] = fake.Url + suffix;
        var r = await AgentStraceCli.RunAsync(["export", Sdk, "--scores", "--backend", "langfuse"], dir.Path, env);

        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(fake.Spans.Count).IsEqualTo(8);
        await Assert.That(fake.Scores.Count).IsEqualTo(2);
    }

    [Test]
    public async Task MissingKeys_Exit2_OneLineNamingVariablesAndFlags()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var r = await AgentStraceCli.RunAsync(["export", Sdk, "--scores", "--backend", "langfuse", "--langfuse-host", fake.Url], dir.Path, Keys(secretKey: null));

        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(r.Stderr).Contains("LANGFUSE_SECRET_KEY");
        await Assert.That(r.Stderr).Contains("--langfuse-secret-key");
        await Assert.That(fake.Requests).IsEmpty();
    }

    [Test]
    public async Task WrongKeys_401_Exit3_NoKeyInOutput()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, "sk-lf-the-right-one");
        var r = await Export(dir, fake, Sdk, "--scores");

        await Assert.That(r.ExitCode).IsEqualTo(3);
        await Assert.That(r.Stderr).Contains("HTTP 401");
        await Assert.That(r.Stderr).Contains("LANGFUSE_SECRET_KEY");
        await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        string all = r.Stdout + r.Stderr;
        await Assert.That(all).DoesNotContain(SecretKey);
        await Assert.That(all).DoesNotContain(PublicKey);
        await Assert.That(all).DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(PublicKey + ":" + SecretKey)));
        await Assert.That(fake.ScoreRequests).IsEmpty();
    }

    [Test]
    public async Task ConnectionRefused_Exit3_NoSecret()
    {
        using var dir = TempDir.WithSampleStore();
        string host = $"http://127.0.0.1:{FreePort.Next()}";
        var r = await AgentStraceCli.RunAsync(["export", Sdk, "--backend", "langfuse", "--langfuse-host", host, "--timeout", "3"], dir.Path, Keys());

        await Assert.That(r.ExitCode).IsEqualTo(3);
        await Assert.That(r.Stderr).Contains("connection refused");
        await Assert.That(r.Stderr).Contains("c7a05e3f91d2");
        await Assert.That(r.Stdout + r.Stderr).DoesNotContain(SecretKey);
    }

    [Test]
    public async Task Environment_OnSpansAndScores_HttpJsonWithoutIngestionHeaderAccepted()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var env = Keys();
        env["LANGFUSE_TRACING_ENVIRONMENT"] = "staging";
        var r = await AgentStraceCli.RunAsync(["export", Sdk, "--scores", "--backend", "langfuse", "--langfuse-host", fake.Url,
            "--environment", "production", "--protocol", "http/json"], dir.Path, env);

        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(fake.Problems).IsEmpty();
        await Assert.That(fake.Spans.Count).IsEqualTo(8);
        await Assert.That(fake.Spans.All(s => s.Str("langfuse.environment") == "production")).IsTrue();
        await Assert.That(fake.ScoreRequests.All(s => s.GetProperty("environment").GetString() == "production")).IsTrue();
    }

    [Test]
    public async Task BadEnvironment_Exit2_NothingSent()
    {
        using var dir = TempDir.WithSampleStore();
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var r = await Export(dir, fake, Sdk, "--environment", "Production Env");
        await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("--environment");
        await Assert.That(fake.Requests).IsEmpty();
    }

    [Test]
    public async Task MalformedEvalJson_Warns_SendsNoScores_Exit0()
    {
        using var dir = TempDir.WithSampleStore();
        File.WriteAllText(Path.Combine(dir.Store, Sdk, "eval.json"), "not json");
        await using var fake = await FakeLangfuse.StartAsync(PublicKey, SecretKey);
        var r = await Export(dir, fake, Sdk, "--scores");

        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stderr).Contains("eval.json");
        await Assert.That(r.Stderr).Contains("0 scores");
        await Assert.That(fake.ScoreRequests).IsEmpty();
    }
}
