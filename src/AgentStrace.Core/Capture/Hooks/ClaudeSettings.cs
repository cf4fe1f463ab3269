using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Errors;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Merges agent-strace's hook entries into a Claude Code settings.json, keeping every other key and hook.
/// Idempotent: an entry whose command runs <c>agent-strace ... hook</c> for the same event is updated in place.
/// </summary>
public static class ClaudeSettings
{
    public sealed record MergeResult(JsonObject Settings, int Added, int Updated, int Unchanged);

    /// <summary>The shell command Claude Code runs for <paramref name="e"/>.</summary>
    public static string Command(string binary, HookEvent e, bool noRedact) =>
        (noRedact ? "AGENT_STRACE_NO_REDACT=1 " : "") + ShellQuote(binary) + " hook " + e;

    /// <summary>The <c>{"hooks": {...}}</c> block on its own.</summary>
    public static JsonObject Block(string binary, bool noRedact)
    {
        var hooks = new JsonObject();
        foreach (HookEvent e in HookEvents.All) hooks[e.ToString()] = new JsonArray(Entry(binary, e, noRedact));
        return new JsonObject { ["hooks"] = hooks };
    }

    public static MergeResult Merge(string? existingJson, string path, string binary, bool noRedact)
    {
        const string Print = "agent-strace setup --print";
        if (!string.IsNullOrWhiteSpace(existingJson) && AgentStrace.Json.StrictJson.Problem(System.Text.Encoding.UTF8.GetBytes(existingJson)) is string problem)
        {
            throw new AgentStraceException($"{path} {problem}; fix it, or run '{Print}' and merge the block by hand. The file was not changed.");
        }
        (JsonObject root, JsonObject hooks) = SettingsFile.ReadHooks(existingJson, path, Print);
        int added = 0, updated = 0, unchanged = 0;
        foreach (HookEvent e in HookEvents.All)
        {
            string name = e.ToString();
            JsonArray groups = SettingsFile.Groups(hooks, name, path);
            string command = Command(binary, e, noRedact);
            JsonObject? ours = FindOurs(groups, e);
            if (ours is null) { groups.Add((JsonNode)Entry(binary, e, noRedact)); added++; }
            else if ((string?)ours["command"] == command) unchanged++;
            else { ours["command"] = command; updated++; }
        }
        return new MergeResult(root, added, updated, unchanged);
    }

    public static string Serialize(JsonNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            node.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static JsonObject Entry(string binary, HookEvent e, bool noRedact)
    {
        var entry = new JsonObject();
        if (HookEvents.IsToolEvent(e)) entry["matcher"] = "*";
        entry["hooks"] = new JsonArray(new JsonObject { ["type"] = "command", ["command"] = Command(binary, e, noRedact) });
        return entry;
    }

    /// <summary>A handler we installed before (this or the Python tool): runs agent-strace's hook for this event.</summary>
    private static JsonObject? FindOurs(JsonArray groups, HookEvent e)
    {
        foreach (JsonNode? group in groups)
        {
            if (group is not JsonObject g || g["hooks"] is not JsonArray handlers) continue;
            foreach (JsonNode? h in handlers)
            {
                if (h is JsonObject handler && handler["command"] is JsonValue v && v.TryGetValue(out string? cmd) && IsOurs(cmd, e)) return handler;
            }
        }
        return null;
    }

    private static bool IsOurs(string command, HookEvent e)
    {
        int at = command.LastIndexOf(" hook ", StringComparison.Ordinal);
        if (at < 0 || !command[..at].Contains("agent-strace", StringComparison.Ordinal)) return false;
        string name = command[(at + 6)..].Trim();
        return HookEvents.TryParse(name, out HookEvent parsed) && parsed == e;
    }

    internal static string ShellQuote(string s) =>
        s.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '/' or '.' or '_' or '-' or '+' or ':' or '=' or ',') ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
