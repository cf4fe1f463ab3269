using System.Diagnostics;
using System.Security.Cryptography;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM on a long export: the binary stops well within the framework's 5 s forced stop, exits
/// 130 with one line, leaves the previous <c>--output</c> file as it was and no temp file, and the store still verifies.
/// </summary>
[NotInParallel("cancellation")] // one big export at a time: the time bound is about the binary, not the machine's load
[ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
public sealed class CancellationCliTests(FakeCollector collector)
{
    private const int Sigint = 2, Sigterm = 15, Sigcont = 18, Sigstop = 19;
    private const string LongId = "long-session-0001";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(4);
    private static readonly Lazy<TempDir> s_store = new(() =>
    {
        var dir = new TempDir();
        SyntheticStore.AddLongSession(dir.Store, LongId, toolCalls: 150_000);
        return dir;
    });

    [After(Class)]
    public static void DeleteStore()
    {
        if (s_store.IsValueCreated) s_store.Value.Dispose();
    }

    [Test]
    [Arguments("json", "out.json", Sigint)]
    [Arguments("ndjson", "out.ndjson", Sigterm)]
    [Arguments("csv", "out.csv", Sigint)]
    [Arguments("otlp", "out.json", Sigint)]
    [Arguments("otlp-genai", "out.pb", Sigterm)]
    [Arguments("eu-ai-act", "out.json", Sigint)]
    public async Task Export_ToFile_Cancelled_KeepsPreviousFile(string format, string name, int signal)
    {
        SkipIfIgnored(signal);
        string store = s_store.Value.Store;
        string before = Fingerprint(store);
        using var outDir = new TempDir();
        string output = Path.Combine(outDir.Path, name);
        File.WriteAllText(output, "the previous export\n");
        using var cli = Start(outDir.Path, "--trace-dir", store, "export", LongId, "--format", format, "--output", output);

        // The export has provably started and not finished while its temp file exists: freeze it there, signal, resume.
        await WaitForAsync(() => TempFiles(outDir.Path).Length > 0, cli, "the export's temp file");
        cli.Signal(Sigstop);
        bool unfinished = TempFiles(outDir.Path).Length > 0 && !cli.HasExited;
        cli.Signal(signal);
        var clock = Stopwatch.StartNew();
        cli.Signal(Sigcont);
        int exit = await cli.WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();

        await Assert.That(unfinished).IsTrue().Because("the export finished before it was signalled: the session is too small for this machine");
        await Assert.That(exit).IsEqualTo(130).Because(cli.Stderr);
        await Assert.That(clock.Elapsed).IsLessThan(s_bound);
        await Assert.That(cli.Stderr).Contains("agent-strace: cancelled.");
        await Assert.That(File.ReadAllText(output)).IsEqualTo("the previous export\n");
        await Assert.That(TempFiles(outDir.Path)).IsEmpty();
        await Assert.That(Fingerprint(store)).IsEqualTo(before);
        CliResult verify = await AgentStraceCli.RunAsync(["--trace-dir", store, "verify", LongId]);
        await Assert.That(verify.ExitCode).IsEqualTo(0).Because(verify.ToString());
    }

    [Test]
    [Arguments("http/protobuf", Sigint)]
    [Arguments("http/json", Sigterm)]
    [Arguments("grpc", Sigint)]
    public async Task Export_ToSlowReceiver_Cancelled_StopsPromptly(string protocol, int signal)
    {
        SkipIfIgnored(signal);
        // The receiver holds the first request for a minute: the export is stuck in delivery when it is signalled.
        FakeScope scope = collector.NewScope().Enqueue(FakeResponse.Hang(TimeSpan.FromSeconds(60)));
        using var dir = TempDir.WithSampleStore();
        string before = Fingerprint(dir.Store);
        string url = protocol == "grpc" ? collector.GrpcUrl : collector.HttpUrl;
        using var cli = Start(dir.Path, "export", "--all", "--endpoint", url, "--protocol", protocol,
            "--header", scope.HeaderArgument, "--timeout", "120");

        await WaitForAsync(() => scope.Requests.Count > 0, cli, "the receiver's first request");
        var clock = Stopwatch.StartNew();
        cli.Signal(signal);
        int exit = await cli.WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();

        await Assert.That(exit).IsEqualTo(130).Because(cli.Stderr);
        await Assert.That(clock.Elapsed).IsLessThan(s_bound);
        await Assert.That(cli.Stderr).Contains("agent-strace: cancelled.");
        await Assert.That(Fingerprint(dir.Store)).IsEqualTo(before);
    }

    /// <summary>
    /// A process started in the background by a non-interactive shell ignores SIGINT, and so do its children (the
    /// binary rightly keeps an inherited "ignore"): then the binary is started with SIGINT reset, as from a terminal.
    /// Only where that cannot be done (no GNU <c>env --default-signal</c>) do the SIGINT rows skip.
    /// </summary>
    private static void SkipIfIgnored(int signal) =>
        Skip.When(signal == Sigint && SigintIgnored() && !EnvResetsSignals(),
            "SIGINT is ignored by the test process (started in the background) and env cannot reset it (no --default-signal)");

    private static BackgroundCli Start(string workingDirectory, params string[] args) =>
        SigintIgnored() ? BackgroundCli.WithDefaultSigint(workingDirectory, args) : new BackgroundCli(workingDirectory, args);

    private static bool SigintIgnored()
    {
        string? mask = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return mask is not null && (Convert.ToUInt64(mask["SigIgn:".Length..].Trim(), 16) & (1UL << (Sigint - 1))) != 0;
    }

    private static bool EnvResetsSignals()
    {
        using var env = Process.Start(new ProcessStartInfo("env", ["--default-signal=INT", "true"]) { RedirectStandardError = true })!;
        env.WaitForExit();
        return env.ExitCode == 0;
    }

    private static string[] TempFiles(string dir) => Directory.GetFiles(dir, ".*.tmp-*");

    private static async Task WaitForAsync(Func<bool> condition, BackgroundCli cli, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (cli.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"never saw {what}; the export {(cli.HasExited ? "exited" : "hung")}.\n--- stderr\n{cli.Stderr}");
            }
            await Task.Delay(2);
        }
    }

    /// <summary>Every file of the store by name and hash: a cancelled export must not have touched any.</summary>
    private static string Fingerprint(string store) => string.Join('\n', Directory.GetFiles(store, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(f => Path.GetRelativePath(store, f) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));
}
