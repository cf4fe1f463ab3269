using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Errors;

namespace AgentStrace.Capture.Hooks;

/// <summary>Resolves and rewrites the settings file: backup first, then an atomic replace (symlinks are followed).</summary>
public static class SettingsFile
{
    /// <summary><paramref name="explicitPath"/>, else <c>$CLAUDE_CONFIG_DIR|~/.claude/settings.json</c> (global), else <c>./.claude/settings.json</c>.</summary>
    public static string Resolve(string? explicitPath, bool global)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return Path.GetFullPath(explicitPath);
        if (!global) return Path.GetFullPath(Path.Combine(".claude", "settings.json"));
        string dir = Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home
                : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".claude");
        return Path.GetFullPath(Path.Combine(dir, "settings.json"));
    }

    /// <summary>
    /// The settings' root object and its <c>"hooks"</c> object (created when absent); any other shape is one line that
    /// leaves the file unchanged and names <paramref name="print"/>, the command that prints the block to merge by hand.
    /// </summary>
    public static (JsonObject Root, JsonObject Hooks) ReadHooks(string? existingJson, string path, string print, JsonDocumentOptions options = default)
    {
        JsonObject root;
        if (string.IsNullOrWhiteSpace(existingJson)) root = new JsonObject();
        else
        {
            JsonNode? node;
            try { node = JsonNode.Parse(existingJson, documentOptions: options); }
            catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
            {
                string where = ex is JsonException je ? $"line {je.LineNumber + 1}, byte {je.BytePositionInLine}" : ex.Message;
                throw new AgentStraceException($"{path} is not valid JSON ({where}); fix it, or run '{print}' and merge the block by hand. The file was not changed.");
            }
            root = node as JsonObject ?? throw new AgentStraceException($"{path} does not hold a JSON object; the file was not changed.");
        }
        if (root["hooks"] is null) root["hooks"] = new JsonObject();
        if (root["hooks"] is not JsonObject hooks) throw new AgentStraceException($"\"hooks\" in {path} is not an object; the file was not changed.");
        return (root, hooks);
    }

    /// <summary>The hook groups of one event (an empty list created when absent).</summary>
    public static JsonArray Groups(JsonObject hooks, string name, string path)
    {
        if (hooks[name] is null) hooks[name] = new JsonArray();
        return hooks[name] as JsonArray ?? throw new AgentStraceException($"\"hooks.{name}\" in {path} is not an array; the file was not changed.");
    }

    /// <summary>Writes <paramref name="text"/>; returns the backup path ("" when the file did not exist).</summary>
    public static string Replace(string path, string text)
    {
        string target = File.Exists(path) && new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } link ? link.FullName : path;
        string dir = Path.GetDirectoryName(target)!;
        try
        {
            Directory.CreateDirectory(dir);
            string backup = "";
            if (File.Exists(target))
            {
                backup = target + "." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + ".bak";
                File.Copy(target, backup, overwrite: true);
            }
            string temp = Path.Combine(dir, "." + Path.GetFileName(target) + "." + Environment.ProcessId + ".tmp");
            File.WriteAllText(temp, text);
            if (File.Exists(target) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
            File.Move(temp, target, overwrite: true);
            return backup;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStraceException($"Could not write {target} ({ex.Message}).");
        }
    }
}
