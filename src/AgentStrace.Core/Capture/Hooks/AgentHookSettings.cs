using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Errors;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// agent-strace's hook entries for Codex CLI (<c>hooks.json</c>, timeouts in seconds) and Gemini CLI
/// (<c>settings.json</c> → <c>hooks</c>, timeouts in milliseconds), merged into the agent's own file: every other key
/// and hook is kept, and an entry that already runs <c>agent-strace … hook &lt;Event&gt; --agent &lt;agent&gt;</c>
/// is updated in place, so running setup again changes nothing.
/// </summary>
public static class AgentHookSettings
{
    public const string GeminiNames = "SessionStart, SessionEnd, BeforeAgent, AfterAgent, BeforeTool, AfterTool, PreCompress, Notification";

    private static readonly string[] s_codexEvents = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop"];
    private static readonly string[] s_geminiEvents = ["SessionStart", "BeforeAgent", "BeforeTool", "AfterTool", "AfterAgent", "PreCompress", "Notification", "SessionEnd"];

    public static IReadOnlyList<string> Events(string agent) => agent == AgentHooks.Codex ? s_codexEvents : s_geminiEvents;

    public static string Command(string binary, string agent, string e, bool noRedact) =>
        (noRedact ? "AGENT_STRACE_NO_REDACT=1 " : "") + ClaudeSettings.ShellQuote(binary) + " hook " + e + " --agent " + agent;

    public static JsonObject Block(string binary, string agent, bool noRedact)
    {
        var hooks = new JsonObject();
        foreach (string e in Events(agent)) hooks[e] = new JsonArray(Entry(binary, agent, e, noRedact));
        return new JsonObject { ["hooks"] = hooks };
    }

    public static ClaudeSettings.MergeResult Merge(string? existingJson, string path, string binary, string agent, bool noRedact)
    {
        // The agents' own files allow comments and trailing commas.
        (JsonObject root, JsonObject hooks) = SettingsFile.ReadHooks(existingJson, path, $"agent-strace setup --agent {agent} --print",
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        int added = 0, updated = 0, unchanged = 0;
        foreach (string e in Events(agent))
        {
            JsonArray groups = SettingsFile.Groups(hooks, e, path);
            string command = Command(binary, agent, e, noRedact);
            JsonObject? ours = FindOurs(groups, agent, e);
            if (ours is null) { groups.Add((JsonNode)Entry(binary, agent, e, noRedact)); added++; }
            else if ((string?)ours["command"] == command) unchanged++;
            else { ours["command"] = command; updated++; }
        }
        return new ClaudeSettings.MergeResult(root, added, updated, unchanged);
    }

    private static JsonObject Entry(string binary, string agent, string e, bool noRedact)
    {
        var entry = new JsonObject();
        if (e is "PreToolUse" or "PostToolUse" or "BeforeTool" or "AfterTool") entry["matcher"] = ".*";
        var handler = new JsonObject { ["type"] = "command", ["command"] = Command(binary, agent, e, noRedact) };
        if (agent == AgentHooks.Gemini)
        {
            handler["name"] = "agent-strace";
            handler["timeout"] = 10000;
        }
        else handler["timeout"] = 10;
        entry["hooks"] = new JsonArray(handler);
        return entry;
    }

    private static JsonObject? FindOurs(JsonArray groups, string agent, string e)
    {
        foreach (JsonNode? group in groups)
        {
            if (group is not JsonObject g || g["hooks"] is not JsonArray handlers) continue;
            foreach (JsonNode? h in handlers)
            {
                if (h is JsonObject handler && handler["command"] is JsonValue v && v.TryGetValue(out string? cmd) && IsOurs(cmd, agent, e)) return handler;
            }
        }
        return null;
    }

    private static bool IsOurs(string command, string agent, string e)
    {
        int at = command.LastIndexOf(" hook ", StringComparison.Ordinal);
        if (at < 0 || !command[..at].Contains("agent-strace", StringComparison.Ordinal)) return false;
        string[] words = command[(at + 6)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[0] == e && words[1] == "--agent" && words[2] == agent;
    }

    /// <summary><paramref name="explicitPath"/>; else the user-level file (<c>--global</c>); else the project's.</summary>
    public static string Resolve(string agent, string? explicitPath, bool global)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return Path.GetFullPath(explicitPath);
        if (agent == AgentHooks.Codex)
        {
            return Path.GetFullPath(global ? Path.Combine(CodexImporterHome(), "hooks.json") : Path.Combine(".codex", "hooks.json"));
        }
        return Path.GetFullPath(global ? Path.Combine(AgentHome.User(), ".gemini", "settings.json") : Path.Combine(".gemini", "settings.json"));
    }

    private static string CodexImporterHome() => Import.Codex.CodexImporter.DefaultHome();

    /// <summary>
    /// Whether <c>$CODEX_HOME/config.toml</c> turns Codex's hooks on (<c>[features]</c> <c>codex_hooks = true</c>, or
    /// <c>features.codex_hooks = true</c>): a line scan of the one key, not a TOML parser.
    /// </summary>
    public static bool CodexHooksEnabled(string configToml)
    {
        string? text;
        // The user's own file, but read as every other: a regular file, bounded (a FIFO or /dev/zero link cannot hang).
        try { text = FileSystem.SafeFile.TryReadAllText(configToml, 4 << 20); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
        if (text is null) return false;
        string table = "";
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Split('#')[0].Trim();
            if (line.StartsWith('[')) { table = line.Trim('[', ']', ' '); continue; }
            int eq = line.IndexOf('=');
            if (eq < 0) continue;
            string key = line[..eq].Trim(), value = line[(eq + 1)..].Trim();
            if (value != "true") continue;
            if ((table == "features" && key == "codex_hooks") || (table.Length == 0 && key == "features.codex_hooks")) return true;
        }
        return false;
    }
}
