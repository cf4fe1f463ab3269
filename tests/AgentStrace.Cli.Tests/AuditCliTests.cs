using System.Text.Json;
using System.Text.RegularExpressions;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>verify, export --format eu-ai-act, verify --from-export and audit-readiness through the AOT binary.</summary>
public sealed class AuditCliTests
{
    private const string A = "9f1c2b7e-5a4d-4c";

    [Test]
    [Arguments("9f1c2b7e-5a4d-4c", 14)]
    [Arguments("b41d7e09c2a84f65", 9)]
    [Arguments("c7a05e3f91d24b68", 14)]
    public async Task Verify_SampleSession_PrintsUpstreamText(string id, int events)
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "verify", id);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).IsEqualTo($"✅ Chain intact — {events} events verified\n");
    }

    [Test]
    [Arguments("edit")]
    [Arguments("delete")]
    [Arguments("swap")]
    [Arguments("forge")]
    public async Task Verify_TamperedStore_Exit1AndNamesLine(string kind)
    {
        using var dir = TempDir.WithSampleStore();
        string path = Path.Combine(dir.Store, A, "events.ndjson");
        var lines = File.ReadAllText(path).TrimEnd('\n').Split('\n').ToList();
        string expectedLine;
        switch (kind)
        {
            case "edit": lines[4] = lines[4].Replace("\"data\":{\"", "\"data\":{\"x", StringComparison.Ordinal); expectedLine = "line 6"; break;
            case "delete": lines.RemoveAt(4); expectedLine = "line 5"; break;
            case "swap": (lines[4], lines[5]) = (lines[5], lines[4]); expectedLine = "line 5"; break;
            default:
                string plausible = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lines[^2])));
                lines.Add("{\"event_type\":\"decision\",\"timestamp\":1778140900.5,\"event_id\":\"f0f0f0f0f0f0\",\"data\":{},\"prev_hash\":\"" + plausible + "\"}");
                expectedLine = "line 15";
                break;
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        var r = await AgentStraceCli.RunAsync(["verify", A], dir.Path);
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(r.Stdout).StartsWith("❌ Chain broken at event #");
        await Assert.That(r.Stdout).Contains("events.ndjson " + expectedLine + ":");
        var json = await AgentStraceCli.RunAsync(["verify", A, "--format", "json"], dir.Path);
        await Assert.That(json.ExitCode).IsEqualTo(1);
        using var doc = JsonDocument.Parse(json.Stdout);
        await Assert.That(doc.RootElement.GetProperty("ok").GetBoolean()).IsFalse();
        await Assert.That(doc.RootElement.GetProperty("broken_line").GetInt32()).IsEqualTo(int.Parse(expectedLine[5..]));
    }

    [Test]
    public async Task Verify_LegacySession_ReportedAsLegacyExit0()
    {
        string store = Path.Combine(Repo.Fixtures, "legacy-store");
        var r = await AgentStraceCli.RunAsync("--trace-dir", store, "verify", "0a1b2c3d4e5f6a7b");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).StartsWith("➖ Legacy session — 14 events");
        var all = await AgentStraceCli.RunAsync("--trace-dir", store, "verify", "--all", "--format", "json");
        using var doc = JsonDocument.Parse(all.Stdout);
        await Assert.That(doc.RootElement.GetProperty("sessions")[0].GetProperty("status").GetString()).IsEqualTo("legacy");
    }

    [Test]
    public async Task Verify_All_ListsEverySession()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "verify", "--all");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).EndsWith("3 sessions checked: 0 broken, 0 legacy\n");
    }

    [Test]
    public async Task Export_ThenVerifyFromExport_RoundTrips()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "audit.json");
        var export = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "--all", "--format", "eu-ai-act", "--output", file);
        await Assert.That(export.ExitCode).IsEqualTo(0);
        await Assert.That(export.Stderr).Contains($"EU AI Act export written to {file}");
        await Assert.That(export.Stdout).IsEmpty();
        var verify = await AgentStraceCli.RunAsync("verify", "--from-export", file);
        await Assert.That(verify.ExitCode).IsEqualTo(0);
        await Assert.That(verify.Stdout).StartsWith("Export hash chain intact — 37 events checked\nPackage integrity intact — manifest sha256 ");

        // Stdout export: same bytes apart from the two timestamps.
        var stdout = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "--all", "--format", "eu-ai-act");
        await Assert.That(Mask(stdout.Stdout)).IsEqualTo(Mask(File.ReadAllText(file)));
    }

    [Test]
    [Arguments("summary")]
    [Arguments("field")]
    [Arguments("truncate")]
    [Arguments("raw")]
    public async Task VerifyFromExport_TamperedPackage_Exit1AndNamesPlace(string kind)
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "audit.json");
        await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "c7a05e3f91d24b68", "--format", "eu-ai-act", "--output", file);
        string text = File.ReadAllText(file);
        string expected;
        switch (kind)
        {
            case "summary":
                int s = text.LastIndexOf("\"input_summary\": \"{\\\"prompt\\\": \\\"Customer", StringComparison.Ordinal) + 40;
                text = text[..s] + "K" + text[(s + 1)..];
                expected = "session c7a05e3f91d24b68 seq 2 (event b8d2f06e1a39) field input_summary:";
                break;
            case "field":
                text = new Regex("\"cost_usd\": 6.3e-05").Replace(text, "\"cost_usd\": 0.0", 1, text.LastIndexOf("\"sessions\": [", StringComparison.Ordinal));
                expected = "seq 2 (event b8d2f06e1a39) field cost_usd:";
                break;
            case "truncate":
                text = text[..(text.Length - 200)];
                expected = "field package: not valid JSON";
                break;
            default:
                int r0 = text.IndexOf("\"raw_line\": \"", StringComparison.Ordinal) + 33;
                text = text[..r0] + "Z" + text[(r0 + 1)..];
                expected = "seq 1 (event 4e1b9a7c03d5) field raw_line:";
                break;
        }
        File.WriteAllText(file, text);
        var r = await AgentStraceCli.RunAsync("verify", "--from-export", file);
        await Assert.That(r.ExitCode).IsEqualTo(1);
        await Assert.That(r.Stdout).Contains("Package integrity FAILED");
        await Assert.That(r.Stdout).Contains(expected);
        var json = await AgentStraceCli.RunAsync("verify", "--from-export", file, "--format", "json");
        await Assert.That(json.ExitCode).IsEqualTo(1);
        using var doc = JsonDocument.Parse(json.Stdout);
        await Assert.That(doc.RootElement.GetProperty("ok").GetBoolean()).IsFalse();
    }

    [Test]
    public async Task Export_EmptySelection_SessionCountZero()
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "export", "--all", "--since", "2030-01-01", "--format", "eu-ai-act");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        using var doc = JsonDocument.Parse(r.Stdout);
        await Assert.That(doc.RootElement.GetProperty("compliance_metadata").GetProperty("session_count").GetInt32()).IsEqualTo(0);
    }

    [Test]
    public async Task AuditReadiness_SampleStore_Ready()
    {
        // The sample sessions are from May 2026: older than 90 days by the time these tests run, so nothing is deducted.
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, "audit-readiness");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).StartsWith("EU AI Act readiness check\n─────────────────────────\nSessions analysed: 3\nOK Hash chain integrity: 3 sessions checked\nOK Retention coverage: ");
        await Assert.That(r.Stdout).EndsWith("\nCompliance score: 100/100\n");
    }

    [Test]
    public async Task AuditReadiness_EmptyStore_Exit1WithAdvice()
    {
        using var dir = new TempDir();
        var r = await AgentStraceCli.RunAsync(["audit-readiness", "--format", "json"], dir.Path);
        await Assert.That(r.ExitCode).IsEqualTo(1);
        using var doc = JsonDocument.Parse(r.Stdout);
        await Assert.That(doc.RootElement.GetProperty("compliance_score").GetInt32()).IsEqualTo(0);
        await Assert.That(doc.RootElement.GetProperty("checks").GetProperty("retention_coverage").GetProperty("action").GetString()).Contains("record");
    }

    [Test]
    [Arguments("verify", "--format", "xml")]
    [Arguments("audit-readiness", "--format", "xml")]
    [Arguments("verify", "--from-export", "/nonexistent/audit.json")]
    public async Task BadInput_Exit2OneLine(string command, string flag, string value)
    {
        var r = await AgentStraceCli.RunAsync("--trace-dir", Repo.SampleStore, command, flag, value);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
    }

    [Test]
    [Arguments("verify")]
    [Arguments("audit-readiness")]
    public async Task Help_PrintsUsage(string command)
    {
        var r = await AgentStraceCli.RunAsync(command, "--help");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).Contains("Usage: agent-strace " + command);
    }

    private static string Mask(string package) =>
        Regex.Replace(package, "\"(exported_at|generation_timestamp)\": \"[^\"]*\"", "\"$1\": \"*\"");
}
