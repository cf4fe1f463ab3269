
namespace AgentStrace.Testing;

/// <summary>Runs the published Native AOT binary as a process, as a user would.</summary>
public static class AgentStraceCli
{
    /// <summary>The binary under test: <c>$AGENT_STRACE_BIN</c>, else <c>artifacts/bin/linux-x64/agent-strace</c> (published by the README's test command).</summary>
    public static string BinaryPath { get; } = Environment.GetEnvironmentVariable("AGENT_STRACE_BIN") is { Length: > 0 } bin
        ? bin
        : Path.Combine(Repo.Root, "artifacts", "bin", "linux-x64", "agent-strace");

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string?>? env = null, string? stdin = null, TimeSpan? timeout = null)
    {
        if (!File.Exists(BinaryPath))
        {
            throw new FileNotFoundException($"AOT binary not found at {BinaryPath}; run 'dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64' first.");
        }
        // Tests must not pick up a developer's store or collector.
        var environment = new Dictionary<string, string?>();
        foreach (string key in new[] { "AGENT_STRACE_DIR", "AGENT_TRACE_DIR", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_SEMCONV_STABILITY_OPT_IN", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY" })
        {
            environment[key] = null;
        }
        // Nor the developer's own configuration (it may turn redaction off): a directory that never exists.
        environment["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "agent-strace-tests-no-user-config");
        if (env is not null)
        {
            foreach (var (k, v) in env) environment[k] = v;
        }
        return await ProcessRunner.RunAsync(BinaryPath, args, timeout ?? TimeSpan.FromSeconds(60), environment, workingDirectory, stdin: stdin);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);
}
