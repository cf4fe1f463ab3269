using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary><c>--no-content</c> drops every piece of free text from the formats that can honour it, and the formats
/// that cannot refuse the flag.</summary>
public sealed class NoContentCliTests
{
    private static Dictionary<string, string?> Env(TempDir t) => new() { ["AGENT_STRACE_DIR"] = t.Store };

    [Test]
    [Arguments("otlp")]
    [Arguments("otlp-genai")]
    public async Task OtlpFormats_DropErrorAndToolText(string format)
    {
        using var t = TempDir.WithSampleStore();
        CliResult with = await AgentStraceCli.RunAsync(["export", "9f1c2b7e-5a4d-4c", "--format", format], t.Path, Env(t));
        CliResult without = await AgentStraceCli.RunAsync(["export", "9f1c2b7e-5a4d-4c", "--format", format, "--no-content"], t.Path, Env(t));
        await Assert.That(with.ExitCode).IsEqualTo(0).Because(with.ToString());
        await Assert.That(without.ExitCode).IsEqualTo(0).Because(without.ToString());
        // The stored error text (the tool's stderr) and a tool output are in the full export ...
        await Assert.That(with.Stdout).Contains("test_total_includes_tax");
        // ... and nowhere in the export without content, not in exception.message, error.message or status.message.
        await Assert.That(without.Stdout).DoesNotContain("test_total_includes_tax");
        await Assert.That(without.Stdout).DoesNotContain("test_checkout.py");
        await Assert.That(without.Stdout).DoesNotContain("The checkout test is failing");
        await Assert.That(without.Stdout).Contains("\"traceId\"");
    }

    [Test]
    [Arguments("json")]
    [Arguments("ndjson")]
    [Arguments("csv")]
    [Arguments("eu-ai-act")]
    public async Task VerbatimFormats_RefuseTheFlag(string format)
    {
        using var t = TempDir.WithSampleStore();
        CliResult r = await AgentStraceCli.RunAsync(["export", "9f1c2b7e-5a4d-4c", "--format", format, "--no-content"], t.Path, Env(t));
        await Assert.That(r.ExitCode).IsEqualTo(2).Because(r.ToString());
        await Assert.That(r.Stderr).Contains($"--no-content cannot be honoured by --format {format}");
        await Assert.That(r.Stdout).IsEqualTo("");
    }
}
