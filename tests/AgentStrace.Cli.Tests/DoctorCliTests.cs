using System.Globalization;
using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary><c>doctor</c> through the AOT binary, in a scratch project and home: each failure gives its line, fix and exit code 1.</summary>
public sealed class DoctorCliTests
{
    [ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
    public required FakeCollector Collector { get; init; }

    /// <summary>A project directory and a home of its own (no developer settings leak in).</summary>
    private sealed class Setup : IDisposable
    {
        public TempDir Dir { get; } = new();
        public string Project => Path.Combine(Dir.Path, "project");
        public string Home => Path.Combine(Dir.Path, "home");
        public Dictionary<string, string?> Env { get; }

        public Setup()
        {
            Directory.CreateDirectory(Project);
            Directory.CreateDirectory(Home);
            Env = new() { ["HOME"] = Home, ["CLAUDE_CONFIG_DIR"] = null, ["CODEX_HOME"] = null };
        }

        public Task<CliResult> RunAsync(params string[] args) => AgentStraceCli.RunAsync(args, Project, Env);

        public void Dispose() => Dir.Dispose();
    }

    private static string Line(CliResult r, string check) =>
        r.Stdout.Split('\n').FirstOrDefault(l => l.Length > 2 && l[2..].StartsWith(check + ":", StringComparison.Ordinal)) ?? $"(no '{check}' line in)\n{r}";

    [Test]
    public async Task Healthy_EveryCheckPasses_AndTheEndpointGetsAnEmptyExport()
    {
        using var s = new Setup();
        await Assert.That((await s.RunAsync("setup")).ExitCode).IsEqualTo(0);
        SyntheticStore.AddSession(Path.Combine(s.Project, ".agent-traces"), "sess-0001", DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);
        var scope = Collector.NewScope();
        s.Env["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.HttpUrl;
        s.Env["OTEL_EXPORTER_OTLP_HEADERS"] = $"{FakeCollector.ScopeHeader}={scope.Id}";
        s.Env["LANGFUSE_PUBLIC_KEY"] = "pk-lf-test";
        s.Env["LANGFUSE_SECRET_KEY"] = "sk-lf-test";
        s.Env["LANGFUSE_HOST"] = Collector.HttpUrl;

        CliResult r = await s.RunAsync("doctor");
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(Line(r, "Claude Code hooks")).StartsWith("✓").And.Contains("all 10 events");
        await Assert.That(Line(r, "hook binary")).StartsWith("✓").And.Contains("is this binary");
        await Assert.That(Line(r, "store")).StartsWith("✓").And.Contains("is writable");
        await Assert.That(Line(r, "last event")).StartsWith("✓").And.Contains("sess-0001");
        await Assert.That(Line(r, "hook errors")).StartsWith("✓");
        await Assert.That(Line(r, "OTLP endpoint")).StartsWith("✓").And.Contains("accepted an empty export");
        await Assert.That(Line(r, "Langfuse")).StartsWith("✓").And.Contains("accepted the keys");
        await Assert.That(r.Stdout).Contains("All checks passed.");
        await Assert.That(r.Stdout).DoesNotContain("sk-lf-test");
        RecordedRequest sent = scope.Requests.Single(q => q.Path == "/v1/traces");
        await Assert.That(sent.Body.Length).IsEqualTo(0);
        // The key check goes through the export's transport: the user's OTLP headers ride along, the keys as Basic auth.
        RecordedRequest check = scope.Requests.Single(q => q.Path == "/api/public/projects");
        await Assert.That(check.Headers["authorization"]).IsEqualTo("Basic " + Convert.ToBase64String("pk-lf-test:sk-lf-test"u8.ToArray()));
        await Assert.That(check.RawBody.Length).IsEqualTo(0);
        await Assert.That(scope.Requests.Count).IsEqualTo(2);
    }

    [Test]
    public async Task LangfuseRejectsTheKeys_FailsSayingSo_WithoutTheSecret()
    {
        using var s = new Setup();
        await Assert.That((await s.RunAsync("setup")).ExitCode).IsEqualTo(0);
        var scope = Collector.NewScope().Enqueue(FakeResponse.WithStatus(401, "unauthorized"));
        s.Env["OTEL_EXPORTER_OTLP_HEADERS"] = $"{FakeCollector.ScopeHeader}={scope.Id}";
        s.Env["LANGFUSE_PUBLIC_KEY"] = "pk-lf-wrong";
        s.Env["LANGFUSE_SECRET_KEY"] = "sk-lf-wrong-secret";
        s.Env["LANGFUSE_HOST"] = Collector.HttpUrl;

        CliResult r = await s.RunAsync("doctor", "--timeout", "5");
        await Assert.That(r.ExitCode).IsEqualTo(1).Because(r.ToString());
        await Assert.That(Line(r, "Langfuse")).StartsWith("✗").And.Contains("rejected the keys (HTTP 401)");
        await Assert.That(r.Stdout + r.Stderr).DoesNotContain("sk-lf-wrong-secret");
        await Assert.That(scope.Requests.Single().Path).IsEqualTo("/api/public/projects");
    }

    [Test]
    public async Task MissingHook_FailsWithTheSetupCommand()
    {
        using var s = new Setup();
        CliResult r = await s.RunAsync("doctor");
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(Line(r, "Claude Code hooks")).StartsWith("✗").And.Contains("not installed").And.Contains("run: agent-strace setup");
        await Assert.That(r.Stdout).Contains("1 check failed.");

        CliResult json = await s.RunAsync("doctor", "--format", "json");
        await Assert.That(json.ExitCode).IsEqualTo(1);
        using JsonDocument doc = JsonDocument.Parse(json.Stdout);
        await Assert.That(doc.RootElement.GetProperty("ok").GetBoolean()).IsFalse();
        JsonElement hooks = doc.RootElement.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("check").GetString() == "Claude Code hooks");
        await Assert.That(hooks.GetProperty("state").GetString()).IsEqualTo("fail");
        await Assert.That(hooks.GetProperty("fix").GetString()!).Contains("agent-strace setup");
    }

    [Test]
    public async Task StaleBinaryPath_FailsNamingTheMissingBinary()
    {
        using var s = new Setup();
        await Assert.That((await s.RunAsync("setup", "--global")).ExitCode).IsEqualTo(0);
        string settings = Path.Combine(s.Home, ".claude", "settings.json");
        // What `brew upgrade` leaves behind: the hooks name a versioned path that no longer exists.
        await File.WriteAllTextAsync(settings, (await File.ReadAllTextAsync(settings)).Replace(AgentStraceCli.BinaryPath, "/opt/homebrew/Cellar/agent-strace/0.0.9/bin/agent-strace"));
        CliResult r = await s.RunAsync("doctor");
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(Line(r, "Claude Code hooks")).StartsWith("✓").And.Contains("user settings");
        await Assert.That(Line(r, "hook binary")).StartsWith("✗").And.Contains("/opt/homebrew/Cellar/agent-strace/0.0.9/bin/agent-strace").And.Contains("does not exist")
            .And.Contains("run: agent-strace setup");
    }

    [Test]
    public async Task HookBinaryThatTheRepositoryBrings_IsNeverRun()
    {
        using var s = new Setup();
        await Assert.That((await s.RunAsync("setup")).ExitCode).IsEqualTo(0);
        // A cloned repository's .claude/settings.json naming a program of its own: asking its --version would run it.
        string tool = Path.Combine(s.Project, "tools", "agent-strace");
        string marker = Path.Combine(s.Dir.Path, "ran");
        Directory.CreateDirectory(Path.GetDirectoryName(tool)!);
        await File.WriteAllTextAsync(tool, $"#!/bin/sh\ntouch '{marker}'\necho 0.0.1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string settings = Path.Combine(s.Project, ".claude", "settings.json");
        await File.WriteAllTextAsync(settings, (await File.ReadAllTextAsync(settings)).Replace(AgentStraceCli.BinaryPath, "./tools/agent-strace"));
        CliResult r = await s.RunAsync("doctor");
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(Line(r, "hook binary")).StartsWith("✗").And.Contains("./tools/agent-strace").And.Contains("lies inside this project; not run");
        await Assert.That(File.Exists(marker)).IsFalse();
    }

    [Test]
    public async Task UnwritableStore_AFileWhereTheStoreShouldBe_Fails()
    {
        using var s = new Setup();
        await Assert.That((await s.RunAsync("setup")).ExitCode).IsEqualTo(0);
        // A regular file in the store's place: no directory can be made there, not even by root.
        string blocked = Path.Combine(s.Dir.Path, "not-a-dir");
        await File.WriteAllTextAsync(blocked, "x");
        s.Env["AGENT_STRACE_DIR"] = Path.Combine(blocked, "store");
        CliResult r = await s.RunAsync("doctor");
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(Line(r, "store")).StartsWith("✗").And.Contains(blocked + " is a file").And.Contains("AGENT_STRACE_DIR");
    }

    [Test]
    public async Task DeadEndpoint_Fails()
    {
        using var s = new Setup();
        await Assert.That((await s.RunAsync("setup")).ExitCode).IsEqualTo(0);
        string url = $"http://127.0.0.1:{FreePort.Next()}";
        CliResult r = await s.RunAsync("doctor", "--endpoint", url, "--timeout", "1");
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(Line(r, "OTLP endpoint")).StartsWith("✗").And.Contains("connection refused").And.Contains("start the collector");
    }

    [Test]
    public async Task RecentHookErrors_AndABrokenUserConfig_Fail()
    {
        using var s = new Setup();
        await Assert.That((await s.RunAsync("setup")).ExitCode).IsEqualTo(0);
        string store = Path.Combine(s.Project, ".agent-traces");
        Directory.CreateDirectory(store);
        string now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(store, "hook-errors.log"),
            $"2020-01-01T00:00:00.000Z hook Stop session=old IOException: old\n{now} hook PostToolUse session=abc IOException: disk full\n");
        string config = Path.Combine(s.Dir.Path, "xdg");
        Directory.CreateDirectory(Path.Combine(config, "agent-strace"));
        await File.WriteAllTextAsync(Path.Combine(config, "agent-strace", "config.json"), "{ not json");
        s.Env["XDG_CONFIG_HOME"] = config;
        CliResult r = await s.RunAsync("doctor");
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(Line(r, "hook errors")).StartsWith("✗").And.Contains("1 in the last 24 h").And.Contains("disk full");
        await Assert.That(Line(r, "user config")).StartsWith("✗").And.Contains("not valid JSON");
    }
}
