using System.Diagnostics;
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
    private const int Sigint = Interrupt.Sigint, Sigterm = Interrupt.Sigterm;
    private const string LongId = "long-session-0001";
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
        Interrupt.SkipIfIgnored(signal);
        string store = s_store.Value.Store;
        string before = Interrupt.Fingerprint(store);
        using var outDir = new TempDir();
        string output = Path.Combine(outDir.Path, name);
        File.WriteAllText(output, "the previous export\n");
        using var cli = Interrupt.Start(outDir.Path, "--trace-dir", store, "export", LongId, "--format", format, "--output", output);

        // The export has provably started and not finished while its temp file exists: freeze it there, signal, resume.
        var (unfinished, took, exit) = await Interrupt.MidWorkAsync(cli, signal, () => TempFiles(outDir.Path).Length > 0,
            () => TempFiles(outDir.Path).Length > 0, "the export's temp file");

        await Assert.That(unfinished).IsTrue().Because("the export finished before it was signalled: the session is too small for this machine");
        await Assert.That(exit).IsEqualTo(130).Because(cli.Stderr);
        await Assert.That(took).IsLessThan(Interrupt.Bound);
        await Assert.That(cli.Stderr).Contains("agent-strace: cancelled.");
        await Assert.That(File.ReadAllText(output)).IsEqualTo("the previous export\n");
        await Assert.That(TempFiles(outDir.Path)).IsEmpty();
        await Assert.That(Interrupt.Fingerprint(store)).IsEqualTo(before);
        CliResult verify = await AgentStraceCli.RunAsync(["--trace-dir", store, "verify", LongId]);
        await Assert.That(verify.ExitCode).IsEqualTo(0).Because(verify.ToString());
    }

    [Test]
    [Arguments("http/protobuf", Sigint)]
    [Arguments("http/json", Sigterm)]
    [Arguments("grpc", Sigint)]
    public async Task Export_ToSlowReceiver_Cancelled_StopsPromptly(string protocol, int signal)
    {
        Interrupt.SkipIfIgnored(signal);
        // The receiver holds the first request for a minute: the export is stuck in delivery when it is signalled.
        FakeScope scope = collector.NewScope().Enqueue(FakeResponse.Hang(TimeSpan.FromSeconds(60)));
        using var dir = TempDir.WithSampleStore();
        string before = Interrupt.Fingerprint(dir.Store);
        string url = protocol == "grpc" ? collector.GrpcUrl : collector.HttpUrl;
        using var cli = Interrupt.Start(dir.Path, "export", "--all", "--endpoint", url, "--protocol", protocol,
            "--header", scope.HeaderArgument, "--timeout", "120");

        await Interrupt.WaitForAsync(() => scope.Requests.Count > 0, cli, "the receiver's first request");
        var clock = Stopwatch.StartNew();
        cli.Signal(signal);
        int exit = await cli.WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();

        await Assert.That(exit).IsEqualTo(130).Because(cli.Stderr);
        await Assert.That(clock.Elapsed).IsLessThan(Interrupt.Bound);
        await Assert.That(cli.Stderr).Contains("agent-strace: cancelled.");
        await Assert.That(Interrupt.Fingerprint(dir.Store)).IsEqualTo(before);
    }

    private static string[] TempFiles(string dir) => Directory.GetFiles(dir, ".*.tmp-*");
}
