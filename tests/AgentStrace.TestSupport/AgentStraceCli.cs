
namespace AgentStrace.Cli.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the published Native AOT binary as a process, as a user would.</summary>
public static class AgentStraceCli
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The binary under test: <c>$AGENT_STRACE_BIN</c>, else <c>artifacts/bin/linux-x64/agent-strace</c> (published by the README's test command).</summary>
    public static string BinaryPath { get; } = Environment.GetEnvironmentVariable("AGENT_STRACE_BIN") is { Length: > 0 } bin
        ? bin
        : Path.Combine(RepoRoot, "artifacts", "bin", "linux-x64", "agent-strace");

    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");
    public static string SampleStore => Path.Combine(Fixtures, "upstream-sample-store");

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

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentStrace.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("AgentStrace.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agent-strace-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public static TempDir WithSampleStore()
    {
        var t = new TempDir();
        Copy(AgentStraceCli.SampleStore, System.IO.Path.Combine(t.Path, ".agent-traces"));
        return t;
    }

    public string Store => System.IO.Path.Combine(Path, ".agent-traces");

    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from)) File.Copy(f, System.IO.Path.Combine(to, System.IO.Path.GetFileName(f)));
        foreach (string d in Directory.GetDirectories(from)) Copy(d, System.IO.Path.Combine(to, System.IO.Path.GetFileName(d)));
    }

    /// <summary>Every file's bytes, for "nothing changed on disk" assertions.</summary>
    public static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => System.IO.Path.GetRelativePath(dir, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
