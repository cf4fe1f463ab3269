using AgentStrace.Capture.Hooks;
using AgentStrace.Errors;

namespace AgentStrace.Cli.Commands;

internal sealed class SetupCommands
{
    /// <summary>Install agent-strace's Claude Code hooks into .claude/settings.json (keeps your other settings; idempotent).</summary>
    /// <param name="global">Use ~/.claude/settings.json ($CLAUDE_CONFIG_DIR/settings.json) instead of the project's.</param>
    /// <param name="noRedact">Install hooks that store secrets unredacted (AGENT_STRACE_NO_REDACT=1).</param>
    /// <param name="print">Only print the hooks block; change nothing.</param>
    /// <param name="settings">Settings file to edit (overrides --global and the project default).</param>
    /// <param name="agent">claude-code (default), codex (.codex/hooks.json; --global: $CODEX_HOME/hooks.json) or gemini-cli (.gemini/settings.json; --global: ~/.gemini/settings.json).</param>
    public int Setup(bool global = false, bool noRedact = false, bool print = false, string? settings = null, string? agent = null)
    {
        string binary = Environment.ProcessPath ?? throw new AgentStraceException("Cannot determine the path of the agent-strace binary.");
        if (!AgentHooks.TryParseAgent(agent, out string name)) throw new AgentStraceException($"--agent must be claude-code, codex or gemini-cli (got '{agent}').");
        if (name != AgentHooks.ClaudeCode) return AgentSetup.Run(name, binary, global, noRedact, print, settings);
        if (print)
        {
            Console.Out.Write(ClaudeSettings.Serialize(ClaudeSettings.Block(binary, noRedact)));
            return 0;
        }
        string path = SettingsFile.Resolve(settings, global);
        string? existing = File.Exists(path) ? File.ReadAllText(path) : null;
        var result = ClaudeSettings.Merge(existing, path, binary, noRedact);
        if (result.Added == 0 && result.Updated == 0)
        {
            Console.Out.WriteLine($"agent-strace: {path} already has the agent-strace hooks for all {result.Unchanged} events; nothing changed.");
            return 0;
        }
        string backup = SettingsFile.Replace(path, ClaudeSettings.Serialize(result.Settings));
        Console.Out.WriteLine($"agent-strace: {path}: added {result.Added}, updated {result.Updated}, unchanged {result.Unchanged} hook entries" + (backup.Length > 0 ? $" (backup: {backup})" : "") + ".");
        Console.Out.WriteLine($"agent-strace: hooks run '{binary} hook <Event>'; sessions are stored in <project>/.agent-traces. Start a new Claude Code session to begin recording.");
        return 0;
    }
}
