using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Capture;

public sealed class SetupCliTests
{
    private const string UserSettings = """
        {
          "model": "opus",
          "env": { "FOO": "bär" },
          "hooks": {
            "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "echo hi", "timeout": 30 } ] } ],
            "Stop": [ { "hooks": [ { "type": "command", "command": "agent-strace hook stop" } ] } ]
          },
          "permissions": { "allow": ["Bash(npm test)"] }
        }
        """;

    [Test]
    public async Task Setup_MergesIntoUserSettings_KeepsEverythingAndIsIdempotent()
    {
        using var t = new TempDir();
        string path = Path.Combine(t.Path, "settings.json");
        File.WriteAllText(path, UserSettings);
        CliResult first = await AgentStraceCli.RunAsync(["setup", "--settings", path], t.Path);
        await Assert.That(first.ExitCode).IsEqualTo(0);
        await Assert.That(first.Stdout).Contains("added 9, updated 1");
        string once = File.ReadAllText(path);
        var root = JsonDocument.Parse(once).RootElement;
        await Assert.That(root.GetProperty("model").GetString()).IsEqualTo("opus");
        await Assert.That(root.GetProperty("env").GetProperty("FOO").GetString()).IsEqualTo("bär");
        await Assert.That(root.GetProperty("permissions").GetProperty("allow")[0].GetString()).IsEqualTo("Bash(npm test)");
        var pre = root.GetProperty("hooks").GetProperty("PreToolUse");
        await Assert.That(pre.GetArrayLength()).IsEqualTo(2);
        await Assert.That(pre[0].GetProperty("hooks")[0].GetProperty("command").GetString()).IsEqualTo("echo hi");
        await Assert.That(pre[1].GetProperty("hooks")[0].GetProperty("command").GetString()).IsEqualTo(AgentStraceCli.BinaryPath + " hook PreToolUse");
        var stop = root.GetProperty("hooks").GetProperty("Stop");
        await Assert.That(stop.GetArrayLength()).IsEqualTo(1);
        await Assert.That(stop[0].GetProperty("hooks")[0].GetProperty("command").GetString()).IsEqualTo(AgentStraceCli.BinaryPath + " hook Stop");
        await Assert.That(root.GetProperty("hooks").EnumerateObject().Count()).IsEqualTo(10);
        await Assert.That(Directory.GetFiles(t.Path, "settings.json.*.bak").Length).IsEqualTo(1);

        CliResult second = await AgentStraceCli.RunAsync(["setup", "--settings", path], t.Path);
        await Assert.That(second.Stdout).Contains("nothing changed");
        await Assert.That(File.ReadAllText(path)).IsEqualTo(once);
    }

    [Test]
    public async Task Setup_InvalidJson_ExitsTwoAndLeavesTheFileAlone()
    {
        using var t = new TempDir();
        string path = Path.Combine(t.Path, "settings.json");
        File.WriteAllText(path, "{ \"model\": \"opus\", }");
        CliResult r = await AgentStraceCli.RunAsync(["setup", "--settings", path], t.Path);
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains("not valid JSON");
        await Assert.That(File.ReadAllText(path)).IsEqualTo("{ \"model\": \"opus\", }");
        await Assert.That(Directory.GetFiles(t.Path).Length).IsEqualTo(1);
    }

    [Test]
    public async Task Setup_GlobalWithoutFile_CreatesItUnderHome()
    {
        using var t = new TempDir();
        var env = new Dictionary<string, string?> { ["HOME"] = t.Path, ["CLAUDE_CONFIG_DIR"] = null };
        CliResult r = await AgentStraceCli.RunAsync(["setup", "--global", "--no-redact"], t.Path, env);
        await Assert.That(r.ExitCode).IsEqualTo(0);
        string text = File.ReadAllText(Path.Combine(t.Path, ".claude", "settings.json"));
        await Assert.That(text).Contains("AGENT_STRACE_NO_REDACT=1 " + AgentStraceCli.BinaryPath + " hook SessionEnd");
    }

    [Test]
    public async Task Setup_Print_PrintsTheBlockOnly()
    {
        using var t = new TempDir();
        CliResult r = await AgentStraceCli.RunAsync(["setup", "--print"], t.Path);
        var hooks = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("hooks");
        await Assert.That(hooks.GetProperty("PostToolUseFailure")[0].GetProperty("matcher").GetString()).IsEqualTo("*");
        await Assert.That(Directory.Exists(Path.Combine(t.Path, ".claude"))).IsFalse();
    }
}
