using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>
/// <c>cost --format json</c> (per session and per <c>--by</c> table) is written through the generated document writer:
/// the bytes must be the ones the hand-written writer printed before, captured into <c>tests/fixtures/cost-goldens</c>.
/// </summary>
public sealed class CostJsonGoldenTests
{
    private static string Fixture(string name) => Path.Combine(Repo.Fixtures, name);

    [Test]
    [Arguments("sample-all.json", "upstream-sample-store", "cost --all")]
    [Arguments("view-all.json", "view-store", "cost --all")]
    [Arguments("view-by-day.json", "view-store", "cost --all --by day --breakdown --tz UTC")]
    [Arguments("view-by-model.json", "view-store", "cost --all --by model --breakdown --tz UTC")]
    [Arguments("view-by-project.json", "view-store", "cost --all --by project --breakdown --tz UTC")]
    [Arguments("view-by-week-berlin.json", "view-store", "cost --all --by week --tz Europe/Berlin")]
    public async Task CostJson_IsByteIdenticalToTheGolden(string golden, string store, string command)
    {
        var r = await AgentStraceCli.RunAsync(["--trace-dir", Fixture(store), .. command.Split(' '), "--format", "json"]);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        await Assert.That(r.Stdout).IsEqualTo(File.ReadAllText(Fixture(Path.Combine("cost-goldens", golden))));
    }
}
