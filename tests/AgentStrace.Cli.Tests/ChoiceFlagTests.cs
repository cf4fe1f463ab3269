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
    public async Task UnknownChoice_IsOneUsageLine(string command, string flag, string value, string expected)
    {
        string missingStore = Path.Combine(Path.GetTempPath(), "agent-strace-no-store-" + Guid.NewGuid().ToString("N"));
        var r = await AgentStraceCli.RunAsync(["--trace-dir", missingStore, .. command.Split(' '), flag, value]);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.TrimEnd()).IsEqualTo("agent-strace: " + expected);
        await Assert.That(Directory.Exists(missingStore)).IsFalse();
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
