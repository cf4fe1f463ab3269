using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Report;

/// <summary><c>report --html</c> through the AOT binary: the file itself (the browser tests open it).</summary>
public sealed class ReportCliTests
{
    [Test]
    public async Task Demo_PageHoldsExactlyTheExportsSpans_AndLoadsNothing()
    {
        using var dir = new TempDir();
        string store = await ReportStores.DemoAsync(dir);
        string html = Path.Combine(dir.Path, "demo.html");
        CliResult r = await AgentStraceCli.RunAsync(["--trace-dir", store, "report", "--html", "-o", html]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stderr).Contains("wrote " + html);
        string page = await File.ReadAllTextAsync(html);

        // Self-contained: nothing names a network resource, and the CSP forbids loading any.
        await Assert.That(page).DoesNotContain("src=\"http");
        await Assert.That(page).DoesNotContain("href=\"http");
        await Assert.That(page).DoesNotContain("@import");
        await Assert.That(page).Contains("default-src 'none'");

        Dictionary<string, string> export = await ReportStores.ExportTreeAsync(store, "d3m0c0de", dir);
        using JsonDocument data = ReportStores.EmbeddedData(page);
        var spans = data.RootElement.GetProperty("sessions").EnumerateArray().SelectMany(s => s.GetProperty("spans").EnumerateArray())
            .ToDictionary(s => s.GetProperty("i").GetString()!, s => s.GetProperty("p").GetString()!);
        await Assert.That(spans.Count).IsEqualTo(16);
        await Assert.That(spans).IsEquivalentTo(export, TUnit.Assertions.Enums.CollectionOrdering.Any); // span id to parent id: a dictionary has no order
        // The sub-agent's session nests under the Agent tool call of its parent.
        await Assert.That(data.RootElement.GetProperty("sessions").GetArrayLength()).IsEqualTo(1);
    }

    [Test]
    public async Task HostileContent_StaysInsideTheDataBlock()
    {
        using var dir = new TempDir();
        string id = ReportStores.HostileStore(dir);
        string html = Path.Combine(dir.Path, "hostile.html");
        CliResult r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "report", id, "--html", "-o", html]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        string page = await File.ReadAllTextAsync(html);
        // Exactly the page's own two script blocks end; the stored "</script>" and "<!--" are escaped in the JSON.
        await Assert.That(page.Split("</script>").Length - 1).IsEqualTo(2);
        await Assert.That(page).DoesNotContain("<script>window.__pwned");
        await Assert.That(page).DoesNotContain("<img src=x");
        using JsonDocument data = ReportStores.EmbeddedData(page);
        await Assert.That(data.RootElement.GetRawText()).Contains("window.__pwned"); // the text is there, as data
    }

    [Test]
    public async Task NoContent_DropsPromptsAndToolInput()
    {
        using var dir = new TempDir();
        string id = ReportStores.HostileStore(dir);
        string html = Path.Combine(dir.Path, "bare.html");
        CliResult r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "report", id, "--html", "--no-content", "-o", html]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        string page = await File.ReadAllTextAsync(html);
        await Assert.That(page).DoesNotContain("__pwned");
        using JsonDocument data = ReportStores.EmbeddedData(page);
        await Assert.That(data.RootElement.GetProperty("noContent").GetBoolean()).IsTrue();
    }

    [Test]
    public async Task TenThousandCalls_FileStaysUnderThreeTimesTheEvents()
    {
        using var dir = new TempDir();
        string id = ReportStores.BigStore(dir);
        string html = Path.Combine(dir.Path, "big.html");
        CliResult r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "report", id, "--html", "-o", html]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        long events = new FileInfo(Path.Combine(dir.Store, id, "events.ndjson")).Length;
        long size = new FileInfo(html).Length;
        await Assert.That(size).IsLessThan(3 * events);
        using JsonDocument data = ReportStores.EmbeddedData(await File.ReadAllTextAsync(html));
        await Assert.That(data.RootElement.GetProperty("sessions")[0].GetProperty("spans").GetArrayLength()).IsEqualTo(10_002); // root, model call, 10k tools
    }

    [Test]
    public async Task All_HasTheOverviewAndEverySession()
    {
        using var dir = new TempDir();
        AgentStrace.Testing.SyntheticStore.AddHistory(dir.Store, 6, 1796619000);
        CliResult update = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "baseline", "update"]);
        await Assert.That(update.ExitCode).IsEqualTo(0);
        string html = Path.Combine(dir.Path, "all.html");
        CliResult r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "report", "--all", "--since", "2026-01-01", "--html", "-o", html]);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        using JsonDocument data = ReportStores.EmbeddedData(await File.ReadAllTextAsync(html));
        JsonElement overview = data.RootElement.GetProperty("overview");
        await Assert.That(data.RootElement.GetProperty("sessions").GetArrayLength()).IsEqualTo(6);
        await Assert.That(overview.GetProperty("sessions").GetArrayLength()).IsEqualTo(6);
        await Assert.That(overview.GetProperty("baseline").GetBoolean()).IsTrue();
        await Assert.That(overview.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString())).Contains("Bash");
        await Assert.That(overview.GetProperty("costByDayModel")[0].GetProperty("model").GetString()).IsEqualTo("claude-sonnet-4-6");

        CliResult none = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "report", "--all", "--since", "2099-01-01", "--html", "-o", html]);
        await Assert.That(none.ExitCode).IsEqualTo(2);
        await Assert.That(none.Stderr).Contains("No sessions found");
    }

    [Test]
    public async Task Output_RefusesASymlink_AndKeepsTheTarget()
    {
        using var dir = new TempDir();
        string id = ReportStores.HostileStore(dir);
        string target = Path.Combine(dir.Path, "target.txt"), link = Path.Combine(dir.Path, "link.html");
        await File.WriteAllTextAsync(target, "keep me");
        File.CreateSymbolicLink(link, target);
        CliResult r = await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "report", id, "--html", "-o", link]);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(r.Stderr).Contains("symbolic link");
        await Assert.That(await File.ReadAllTextAsync(target)).IsEqualTo("keep me");
    }
}
