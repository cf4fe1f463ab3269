using System.Text.RegularExpressions;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>
/// <c>verify --format json</c> and <c>audit-readiness --format json</c> are written through generated documents: the
/// bytes must be the ones the hand-written writers printed, captured into <c>tests/fixtures/verify-goldens</c> (its
/// README says what each store and package holds). audit-readiness's clock-dependent values are masked on both sides.
/// </summary>
public sealed partial class ComplianceJsonGoldenTests
{
    private static string Goldens(string name) => Path.Combine(Repo.Fixtures, "verify-goldens", name);

    [Test]
    [Arguments("verify-all.json", "verify-goldens/store", "verify --all", 1)]
    [Arguments("verify-broken.json", "verify-goldens/store", "verify b41d7e09c2a84f65", 1)]
    [Arguments("verify-damaged.json", "verify-goldens/store", "verify 9f1c2b7e", 0)]
    [Arguments("verify-legacy.json", "legacy-store", "verify --all", 0)]
    [Arguments("audit-store.json", "verify-goldens/store", "audit-readiness", 1)]
    [Arguments("audit-retention.json", "verify-goldens/store", "audit-readiness --retention-days 100000", 1)]
    [Arguments("audit-legacy.json", "legacy-store", "audit-readiness", 0)]
    [Arguments("audit-view.json", "view-store", "audit-readiness", 0)]
    public async Task StoreJson_IsByteIdenticalToTheGolden(string golden, string store, string command, int exitCode)
    {
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Path.Combine(Repo.Fixtures, store), .. command.Split(' '), "--format", "json"]);
        await Assert.That(r.ExitCode).IsEqualTo(exitCode).Because(r.ToString());
        await Assert.That(Mask(r.Stdout)).IsEqualTo(File.ReadAllText(Goldens(golden)));
    }

    [Test]
    public async Task EmptyStore_AuditJson_IsByteIdenticalToTheGolden()
    {
        using var store = new TempDir();
        var r = await AgentStraceCli.RunAsync(["--trace-dir", store.Path, "audit-readiness", "--format", "json"]);
        await Assert.That(r.ExitCode).IsEqualTo(1).Because(r.ToString());
        await Assert.That(Mask(r.Stdout)).IsEqualTo(File.ReadAllText(Goldens("audit-empty.json")));
    }

    [Test]
    [Arguments("package.json", 0)]
    [Arguments("package-tampered.json", 1)]
    public async Task PackageJson_IsByteIdenticalToTheGolden(string package, int exitCode)
    {
        var r = await AgentStraceCli.RunAsync(["verify", "--from-export", Goldens(package), "--format", "json"]);
        await Assert.That(r.ExitCode).IsEqualTo(exitCode).Because(r.ToString());
        await Assert.That(r.Stdout).IsEqualTo(File.ReadAllText(Goldens(package + ".golden")));
    }

    // The values that follow the clock: when the report was made and how old the oldest session is.
    private static string Mask(string json)
    {
        json = GeneratedAt().Replace(json, "\"generated_at\": \"MASKED\"");
        json = AvailableDays().Replace(json, "\"available_days\": \"MASKED\"");
        return DaysOld().Replace(json, "is MASKED days old");
    }

    [GeneratedRegex("\"generated_at\": \"[^\"]*\"")]
    private static partial Regex GeneratedAt();

    [GeneratedRegex("\"available_days\": [0-9.e+-]+")]
    private static partial Regex AvailableDays();

    [GeneratedRegex("is [0-9.e+-]+ days old")]
    private static partial Regex DaysOld();
}
