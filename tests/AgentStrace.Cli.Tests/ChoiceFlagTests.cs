using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>
/// Choice flags are parsed once at the command line: a word that is not a choice is a usage error (exit 2) listing the
/// choices and the nearest one, before any work starts (a missing store is not even looked at).
/// </summary>
public sealed class ChoiceFlagTests
{
    [Test]
    [Arguments("list", "--format", "jsn", "Unknown --format 'jsn' for list: use table or json. Did you mean 'json'?")]
    [Arguments("cost", "--format", "cvs", "Unknown --format 'cvs' for cost: use text, json or csv. Did you mean 'csv'?")]
    [Arguments("stats", "--format", "yaml", "Unknown --format 'yaml' for stats: use text or json.")]
    [Arguments("replay", "--color", "allways", "Unknown --color 'allways': use auto, always or never. Did you mean 'always'?")]
    [Arguments("baseline check", "--method", "median", "Unknown --method 'median': use robust or stddev.")]
    [Arguments("export", "--format", "otlp-gen-ai", "Unknown --format 'otlp-gen-ai': use one of json, ndjson, csv, otlp, otlp-genai, eu-ai-act. Did you mean 'otlp-genai'?")]
    [Arguments("watch", "--format", "json", "Unknown --format 'json' for watch: use otlp or otlp-genai.")]
    [Arguments("cost", "--by", "dya", "Unknown --by 'dya' for cost: use one of day, week, month, session, model, agent, project. Did you mean 'day'?")]
    [Arguments("watch", "--on-violation", "kil", "Unknown --on-violation 'kil' for watch: use alert or kill. Did you mean 'kill'?")]
    [Arguments("export", "--protocol", "htp/json", "Unknown --protocol 'htp/json': use http/protobuf, http/json or grpc. Did you mean 'http/json'?")]
    [Arguments("export", "--protocol", "thrift", "Unknown --protocol 'thrift': use http/protobuf, http/json or grpc.")]
    [Arguments("export", "--compression", "gzp", "Unknown --compression 'gzp': use gzip or none. Did you mean 'gzip'?")]
    [Arguments("export", "--backend", "jeager", "Unknown --backend 'jeager': use one of otlp, jaeger, tempo, aspire, honeycomb, newrelic, splunk, datadog, langfuse. Did you mean 'jaeger'?")]
    [Arguments("export", "--semconv", "lates", "Unknown --semconv 'lates': use default, v1.41 or latest. Did you mean 'latest'?")]
    [Arguments("watch", "--protocol", "grcp", "Unknown --protocol 'grcp': use http/protobuf, http/json or grpc. Did you mean 'grpc'?")]
    [Arguments("watch", "--backend", "zipkin", "Unknown --backend 'zipkin': use one of otlp, jaeger, tempo, aspire, honeycomb, newrelic, splunk, datadog, langfuse.")]
    [Arguments("demo", "--semconv", "v1.14", "Unknown --semconv 'v1.14': use default, v1.41 or latest. Did you mean 'v1.41'?")]
    [Arguments("import --discover", "--agent", "codx", "Unknown --agent 'codx' for import: use claude-code, codex or gemini-cli. Did you mean 'codex'?")]
    [Arguments("setup --print", "--agent", "gemni-cli", "Unknown --agent 'gemni-cli' for setup: use claude-code, codex or gemini-cli. Did you mean 'gemini-cli'?")]
    public async Task UnknownChoice_IsOneUsageLine(string command, string flag, string value, string expected)
    {
        string missingStore = Path.Combine(Path.GetTempPath(), "agent-strace-no-store-" + Guid.NewGuid().ToString("N"));
        var r = await AgentStraceCli.RunAsync(["--trace-dir", missingStore, .. command.Split(' '), flag, value]);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.TrimEnd()).IsEqualTo("agent-strace: " + expected);
        await Assert.That(Directory.Exists(missingStore)).IsFalse();
    }

    [Test]
    public async Task CompletionShell_IsAChoice()
    {
        var r = await AgentStraceCli.RunAsync("completion", "zshh");
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.TrimEnd()).IsEqualTo("agent-strace: Unknown shell 'zshh' for completion: use one of bash, zsh, fish, pwsh. Did you mean 'zsh'?");
        var old = await AgentStraceCli.RunAsync("completion", "powershell");
        await Assert.That(old.ExitCode).IsEqualTo(0).Because(old.ToString());
        await Assert.That(old.Stdout).Contains("Register-ArgumentCompleter");
    }

    /// <summary>The same words come from the environment: read once into the enum, a bad one named with its variable.</summary>
    [Test]
    [Arguments("OTEL_EXPORTER_OTLP_PROTOCOL", "htp/json", "Invalid OTEL_EXPORTER_OTLP_PROTOCOL 'htp/json': use http/protobuf, http/json or grpc. Did you mean 'http/json'?")]
    [Arguments("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzipp", "Invalid OTEL_EXPORTER_OTLP_TRACES_COMPRESSION 'gzipp': use gzip or none. Did you mean 'gzip'?")]
    public async Task UnknownEnvironmentWord_IsOneUsageLine(string variable, string value, string expected)
    {
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Repo.SampleStore, "export", Repo.SampleSessions[2], "--endpoint", "http://127.0.0.1:9"],
            env: new Dictionary<string, string?> { [variable] = value });
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.TrimEnd()).IsEqualTo("agent-strace: " + expected);
    }

    /// <summary>A flag's word wins over the variable's (the variable is then not read), in any case, old spellings too.</summary>
    [Test]
    public async Task FlagWord_WinsOverTheEnvironment()
    {
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Repo.SampleStore, "export", Repo.SampleSessions[2], "--format", "otlp-genai", "--protocol", "HTTP/JSON",
            "--semconv", "1.41", "--compression", "None"], env: new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "thrift" });
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout.TrimStart()).StartsWith("{");
        await Assert.That(r.Stdout).Contains("\"resourceSpans\"");
    }

    /// <summary>setup --ship-to reads its words at the flag and stores the plain spelling; a bad one writes nothing.</summary>
    [Test]
    public async Task SetupShipTo_StoresThePlainWords_AndABadOneWritesNothing()
    {
        using var temp = new TempDir();
        string config = Path.Combine(temp.Path, "agent-strace", "config.json");
        var env = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = temp.Path };
        var bad = await AgentStraceCli.RunAsync(["setup", "--ship-to", "http://127.0.0.1:4318", "--protocol", "grcp", "--print"], temp.Path, env);
        await Assert.That(bad.ExitCode).IsEqualTo(2);
        await Assert.That(bad.Stderr.TrimEnd()).IsEqualTo("agent-strace: Unknown --protocol 'grcp': use http/protobuf, http/json or grpc. Did you mean 'grpc'?");
        await Assert.That(File.Exists(config)).IsFalse();
        var ok = await AgentStraceCli.RunAsync(["setup", "--ship-to", "http://127.0.0.1:4318", "--protocol", "GRPC", "--format", "otlp", "--print"], temp.Path, env);
        await Assert.That(ok.ExitCode).IsEqualTo(0).Because(ok.ToString());
        string text = File.ReadAllText(config);
        await Assert.That(text).Contains("\"protocol\": \"grpc\"");
        await Assert.That(text).Contains("\"format\": \"otlp\"");
    }

    /// <summary>The user's configuration carries the words too: a bad one stops 'ship' with one line naming its key.</summary>
    [Test]
    [Arguments("protocol", "grcp", "Invalid config.json ship.protocol 'grcp': use http/protobuf, http/json or grpc. Did you mean 'grpc'?")]
    [Arguments("backend", "jeager", "Invalid config.json ship.backend 'jeager': use one of otlp, jaeger, tempo, aspire, honeycomb, newrelic, splunk, datadog, langfuse. Did you mean 'jaeger'?")]
    [Arguments("format", "otlp-gen-ai", "Invalid config.json ship.format 'otlp-gen-ai': use otlp or otlp-genai. Did you mean 'otlp-genai'?")]
    public async Task UnknownConfigWord_IsOneUsageLine(string key, string value, string expected)
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(Path.Combine(temp.Path, "agent-strace"));
        File.WriteAllText(Path.Combine(temp.Path, "agent-strace", "config.json"),
            $"{{\"ship\": {{\"to\": \"http://127.0.0.1:9\", \"{key}\": \"{value}\", \"headers\": []}}}}");
        Directory.CreateDirectory(temp.Store);
        var r = await AgentStraceCli.RunAsync(["--trace-dir", temp.Store, "ship"], temp.Path, new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = temp.Path });
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.TrimEnd()).IsEqualTo("agent-strace: " + expected);
    }

    /// <summary>Upstream's spellings stay accepted, in any case, though the errors list only the plain words.</summary>
    [Test]
    [Arguments("daily")]
    [Arguments("Weekly")]
    [Arguments(" MONTH ")]
    public async Task CostBy_OldSpellings_StillAccepted(string by)
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "cost", "--by", by, "--format", "json");
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
    }
}
