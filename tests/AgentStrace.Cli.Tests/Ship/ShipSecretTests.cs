using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Ship;

/// <summary>
/// Header secrets of the delivery target: read from the environment or a referenced file when sending, reach the
/// collector, and never appear in the store, the outbox, the log, the configuration file (for references) or any output.
/// </summary>
[NotInParallel("ship-e2e")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
public sealed class ShipSecretTests(FakeCollector collector)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(45);

    [Test]
    public async Task HeaderFromEnvironment_ReachesCollector_NeverStoredOrPrinted()
    {
        const string Secret = "hcx-9f8e7d6c5b4a-TOP-SECRET";
        FakeScope scope = collector.NewScope();
        using var fleet = new ShipFleet("5ec12e70-aaaa-4bbb-8ccc-ddddeeeeffff", new Dictionary<string, string?> { ["TEAM_OTLP_KEY"] = Secret });
        CliResult setup = await fleet.RunAsync("setup", "--ship-to", collector.HttpUrl, "--header", "x-api-key: ${TEAM_OTLP_KEY}", "--header", scope.HeaderArgument);
        await Assert.That(setup.ExitCode).IsEqualTo(0);
        await Assert.That(setup.Stdout).Contains("x-api-key (from $TEAM_OTLP_KEY when sending)");

        await fleet.StartAsync();
        await fleet.TurnAsync(1, tools: 2);
        await fleet.EndAsync();
        await Assert.That(await fleet.OutboxDrainedAsync(s_wait)).IsTrue();
        await fleet.RunAsync("ship", "--status");
        await fleet.RunAsync("ship", "--status", "--json");

        await Assert.That(scope.Requests.Count).IsGreaterThan(0);
        await Assert.That(scope.Requests.All(r => r.Header("x-api-key") == Secret)).IsTrue();
        await Assert.That(AnyFileContains(fleet.Project, Secret)).IsNull();
        await Assert.That(fleet.Results.Any(r => r.Stdout.Contains(Secret, StringComparison.Ordinal) || r.Stderr.Contains(Secret, StringComparison.Ordinal))).IsFalse();
        await Assert.That(File.GetUnixFileMode(fleet.ConfigFile)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task LiteralHeaderAndHeaderFile_ConfigIs0600_StoreAndOutputNeverHoldThem()
    {
        const string Literal = "literal-5ecret-value-31337", FromFile = "file-5ecret-value-42";
        FakeScope scope = collector.NewScope();
        using var fleet = new ShipFleet("f11e5ec7-aaaa-4bbb-8ccc-ddddeeeeffff");
        string headerFile = Path.Combine(fleet.Project, "otlp-headers");
        File.WriteAllText(headerFile, $"# team key\nx-file-key: {FromFile}\n");
        File.SetUnixFileMode(headerFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        CliResult refused = await fleet.RunAsync("setup", "--ship-to", collector.HttpUrl, "--header-file", headerFile);
        await Assert.That(refused.ExitCode).IsEqualTo(2);
        await Assert.That(refused.Stderr).Contains("can be read by other users");
        File.SetUnixFileMode(headerFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        CliResult setup = await fleet.RunAsync("setup", "--ship-to", collector.HttpUrl, "--header", "x-literal: " + Literal, "--header-file", headerFile, "--header", scope.HeaderArgument);
        await Assert.That(setup.ExitCode).IsEqualTo(0);
        await Assert.That(File.GetUnixFileMode(fleet.ConfigFile)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(File.ReadAllText(fleet.ConfigFile)).DoesNotContain(FromFile);

        await fleet.StartAsync();
        await fleet.TurnAsync(1, tools: 1);
        await fleet.EndAsync();
        await Assert.That(await fleet.OutboxDrainedAsync(s_wait)).IsTrue();
        await fleet.RunAsync("ship", "--status");

        await Assert.That(scope.Requests.Count).IsGreaterThan(0);
        await Assert.That(scope.Requests[0].Header("x-literal")).IsEqualTo(Literal);
        await Assert.That(scope.Requests[0].Header("x-file-key")).IsEqualTo(FromFile);
        await Assert.That(AnyFileContains(fleet.Store, Literal) ?? AnyFileContains(fleet.Store, FromFile)).IsNull();
        await Assert.That(fleet.Results.Any(r => (r.Stdout + r.Stderr).Contains(Literal, StringComparison.Ordinal) || (r.Stdout + r.Stderr).Contains(FromFile, StringComparison.Ordinal))).IsFalse();
    }

    [Test]
    public async Task MissingVariableAtSendTime_ErrorNamesTheVariable_EntriesStayQueued()
    {
        using var fleet = new ShipFleet("0ab5e17e-aaaa-4bbb-8ccc-ddddeeeeffff");
        CliResult setup = await fleet.RunAsync("setup", "--ship-to", collector.HttpUrl, "--header", "x-api-key: ${ABSENT_OTLP_KEY}");
        await Assert.That(setup.ExitCode).IsEqualTo(0);
        await fleet.StartAsync();
        await fleet.TurnAsync(1, tools: 1);
        await fleet.KillShippersAsync();
        CliResult ship = await fleet.RunAsync("ship");
        await Assert.That(ship.ExitCode).IsEqualTo(2);
        await Assert.That(ship.Stderr).Contains("$ABSENT_OTLP_KEY, which is not set");
        await Assert.That(fleet.OutboxEntries().Length).IsGreaterThan(0);
    }

    // The first file under the directory whose bytes contain the text (the whole tree: store, outbox, log, config), or null.
    private static string? AnyFileContains(string dir, string text)
    {
        byte[] needle = System.Text.Encoding.UTF8.GetBytes(text);
        foreach (string f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            if (f.EndsWith("otlp-headers", StringComparison.Ordinal)) continue; // the user's own secret file
            if (File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0) return f;
        }
        return null;
    }
}
