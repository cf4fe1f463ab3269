using System.Diagnostics;
using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Report;

/// <summary>
/// The HTML report in a real browser: headless Chromium (Debian <c>chromium</c>) driven by puppeteer-core, with axe-core
/// for accessibility, all installed by <c>.ci/run</c> (npm packages into the CI tool cache). The page is opened from disk
/// with networking denied and every request intercepted; the script is <c>report-browser.cjs</c> beside this file.
/// </summary>
[NotInParallel("chromium")]
public sealed class ReportBrowserTests
{
    private static string ToolCache => Environment.GetEnvironmentVariable("AGENT_STRACE_TOOL_CACHE") is { Length: > 0 } c
        ? c : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache", "agent-strace-ci");

    private static string NodeModules => Path.Combine(ToolCache, "report-browser", "node_modules");

    private static string? Chromium => new[] { Environment.GetEnvironmentVariable("CHROMIUM_BIN"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    private static void SkipWithoutBrowser()
    {
        Skip.When(Chromium is null, "Chromium is not installed (.ci/run installs Debian's chromium)");
        Skip.When(!Directory.Exists(Path.Combine(NodeModules, "puppeteer-core")) || !Directory.Exists(Path.Combine(NodeModules, "axe-core")),
            $"puppeteer-core and axe-core are not installed in {NodeModules} (.ci/run installs them with npm)");
    }

    [Test]
    public async Task Demo_RendersEverySpan_ClickAndKeyboardShowAttributes_NoAxeFindings()
    {
        SkipWithoutBrowser();
        using var dir = new TempDir();
        string store = await ReportStores.DemoAsync(dir);
        string html = Path.Combine(dir.Path, "demo.html");
        await Assert.That((await AgentStraceCli.RunAsync(["--trace-dir", store, "report", "d3m0c0de", "--html", "-o", html])).ExitCode).IsEqualTo(0);
        using JsonDocument page = await OpenAsync(html, axe: true);
        JsonElement r = page.RootElement;
        await AssertCleanLoad(r);
        await AssertTreeMatchesExport(r, await ReportStores.ExportTreeAsync(store, "d3m0c0de", dir));

        // The second row is the first model call: its attributes are listed once it is clicked.
        JsonElement clicked = r.GetProperty("clicked");
        await Assert.That(clicked.GetProperty("id").GetString()).IsEqualTo(r.GetProperty("spans")[1].GetProperty("id").GetString());
        var keys = clicked.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToList();
        await Assert.That(keys).Contains("gen_ai.request.model");
        await Assert.That(keys).Contains("gen_ai.usage.input_tokens");
        await Assert.That(clicked.GetProperty("details").GetString()!).Contains("claude-sonnet-4-6");
        // Home, ArrowDown ×2, Enter: the third visible row is selected and focused.
        JsonElement keyboard = r.GetProperty("keyboard");
        await Assert.That(keyboard.GetProperty("id").GetString()).IsEqualTo(keyboard.GetProperty("expected").GetString());
        await Assert.That(keyboard.GetProperty("focused").GetString()).IsEqualTo(keyboard.GetProperty("expected").GetString());
        await Assert.That(r.GetProperty("search").GetString()!).Contains("of 16 spans match");

        var serious = r.GetProperty("axe").EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at {v.GetProperty("target").GetString()}")
            .ToList();
        await Assert.That(serious).IsEmpty();
        Console.WriteLine($"demo report: rendered {r.GetProperty("renderMs").GetDouble()} ms after navigation");
    }

    [Test]
    public async Task TenThousandCalls_RenderEverySpanNested()
    {
        SkipWithoutBrowser();
        using var dir = new TempDir();
        string id = ReportStores.BigStore(dir);
        string html = Path.Combine(dir.Path, "big.html");
        await Assert.That((await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "report", id, "--html", "-o", html])).ExitCode).IsEqualTo(0);
        using JsonDocument page = await OpenAsync(html, axe: false);
        JsonElement r = page.RootElement;
        await AssertCleanLoad(r);
        await AssertTreeMatchesExport(r, await ReportStores.ExportTreeAsync(dir.Store, id, dir));
        // Speed is measured, not asserted (the machine is shared): the figure goes to the test output and the docs.
        Console.WriteLine($"10k-call report: rendered {r.GetProperty("renderMs").GetDouble()} ms after navigation");
    }

    [Test]
    public async Task HostileContent_RunsNoScript()
    {
        SkipWithoutBrowser();
        using var dir = new TempDir();
        string id = ReportStores.HostileStore(dir);
        string html = Path.Combine(dir.Path, "hostile.html");
        await Assert.That((await AgentStraceCli.RunAsync(["--trace-dir", dir.Store, "report", id, "--html", "-o", html])).ExitCode).IsEqualTo(0);
        using JsonDocument page = await OpenAsync(html, axe: false);
        JsonElement r = page.RootElement;
        await AssertCleanLoad(r);
        await Assert.That(r.GetProperty("pwned").GetBoolean()).IsFalse();
        // The hostile tool name is shown as text.
        await Assert.That(r.GetProperty("spans").EnumerateArray().Any(s => s.GetProperty("name").GetString()!.Contains("<img src=x onerror=alert(3)>"))).IsTrue();
    }

    private static async Task AssertCleanLoad(JsonElement r)
    {
        await Assert.That(r.GetProperty("consoleErrors").GetArrayLength()).IsEqualTo(0).Because(r.GetProperty("consoleErrors").GetRawText());
        await Assert.That(r.GetProperty("requests").GetArrayLength()).IsEqualTo(0).Because(r.GetProperty("requests").GetRawText());
        await Assert.That(r.GetProperty("dialogs").GetArrayLength()).IsEqualTo(0).Because(r.GetProperty("dialogs").GetRawText());
        // Not blank: a drawn waterfall has text, bars and rules in many colours; a blank page has one.
        await Assert.That(r.GetProperty("colours").GetInt32()).IsGreaterThan(20);
    }

    /// <summary>Every exported span is a treeitem, nested in the treeitem of its exported parent (roots at the top).</summary>
    private static async Task AssertTreeMatchesExport(JsonElement r, Dictionary<string, string> export)
    {
        var dom = r.GetProperty("spans").EnumerateArray().ToList();
        var nesting = dom.ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("parent").GetString()!);
        await Assert.That(dom.Count).IsEqualTo(export.Count);
        var expected = export.ToDictionary(e => e.Key, e => export.ContainsKey(e.Value) ? e.Value : "");
        await Assert.That(nesting).IsEquivalentTo(expected, TUnit.Assertions.Enums.CollectionOrdering.Any); // span id to parent id: a dictionary has no order
        foreach (JsonElement s in dom)
        {
            if (s.GetProperty("parentAttr").GetString() != export[s.GetProperty("id").GetString()!]) throw new InvalidOperationException("data-parent-id differs from the export for " + s);
        }
    }

    private static async Task<JsonDocument> OpenAsync(string html, bool axe)
    {
        string script = Path.Combine(Repo.Root, "tests", "AgentStrace.Cli.Tests", "Report", "report-browser.cjs");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { script, Chromium!, html, axe ? "1" : "0" }) start.ArgumentList.Add(a);
        start.Environment["NODE_PATH"] = NodeModules;
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the browser script did not finish within 4 minutes: " + await stderr);
        }
        string output = await stdout;
        if (process.ExitCode != 0) throw new InvalidOperationException($"report-browser.cjs exited {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(output);
    }
}
