using AgentStrace.Capture.Hooks;
using AgentStrace.Capture.Import.Codex;

namespace AgentStrace.Cli.Commands;

/// <summary><c>setup --agent codex|gemini-cli</c>: the agent's own hooks file, merged idempotently.</summary>
internal static class AgentSetup
{
    /// <param name="cancellationToken">Checked before the hooks file is written: a setup stopped before then changes nothing.</param>
    public static int Run(string agent, string binary, bool global, bool noRedact, bool print, string? settings, CancellationToken cancellationToken)
    {
        if (print)
        {
            Console.Out.Write(ClaudeSettings.Serialize(AgentHookSettings.Block(binary, agent, noRedact)));
            return 0;
        }
        string path = AgentHookSettings.Resolve(agent, settings, global);
        string? existing = SettingsFile.ReadExisting(path);
        var result = AgentHookSettings.Merge(existing, path, binary, agent, noRedact);
        if (result.Added == 0 && result.Updated == 0)
        {
            Console.Out.WriteLine($"agent-strace: {path} already has the agent-strace hooks for all {result.Unchanged} events; nothing changed.");
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
            string backup = SettingsFile.Replace(path, ClaudeSettings.Serialize(result.Settings));
            Console.Out.WriteLine($"agent-strace: {path}: added {result.Added}, updated {result.Updated}, unchanged {result.Unchanged} hook entries" + (backup.Length > 0 ? $" (backup: {backup})" : "") + ".");
        }
        if (agent == AgentHooks.Codex)
        {
            string config = Path.Combine(CodexImporter.DefaultHome(), "config.toml");
            if (AgentHookSettings.CodexHooksEnabled(config))
            {
                Console.Out.WriteLine($"agent-strace: Codex hooks are enabled in {config}; start a new Codex session to begin recording.");
            }
            else
            {
                Console.Out.WriteLine($"agent-strace: Codex runs hooks only when its hooks feature is on, and {config} does not turn it on. Add:");
                Console.Out.WriteLine("    [features]");
                Console.Out.WriteLine("    codex_hooks = true");
                Console.Out.WriteLine("  (Codex versions without hooks ignore the file; 'agent-strace import --discover' reads their rollouts instead.)");
            }
        }
        else
        {
            Console.Out.WriteLine("agent-strace: Gemini CLI runs these hooks from v0.13 on (hooksConfig.enabled, default true); start a new gemini session to begin recording.");
        }
        return 0;
    }
}
