using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Errors;
using AgentStrace.FileSystem;

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

    /// <summary>The settings file's text, or null when there is none yet.</summary>
    /// <remarks>
    /// A link is followed (dotfile managers keep settings as links), but what it names must be a regular file of a
    /// sane size: a project's <c>.claude/settings.json</c> comes with the repository, and a FIFO there would hang
    /// <c>setup</c>, a link to <c>/dev/zero</c> would fill memory.
    /// </remarks>
    public static string? ReadExisting(string path)
    {
        string target = path;
        try
        {
            if (SafeFile.KindOf(path) == FileKind.SymbolicLink && new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } link) target = link.FullName;
            return SafeFile.TryReadAllText(target, MaxBytes)?.TrimStart('\uFEFF'); // a BOM, as File.ReadAllText drops it
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStraceException($"Cannot read {path}: {ex.Message}; the file was not changed.");
        }
    }

    /// <summary>Settings files are small; a larger one is refused rather than read.</summary>
    private const long MaxBytes = 16 << 20;

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
                // Written as a new file, never through a link planted under the backup's name.
                byte[] old = SafeFile.ReadAllBytes(target, MaxBytes);
                SafeFile.DeleteIfLeftOver(backup);
                using FileStream copy = SafeFile.OpenWrite(backup, FileMode.CreateNew);
                copy.Write(old);
            }
            string hidden = "." + Path.GetFileName(target);
            Leftovers.Sweep(dir, name => name == hidden); // a setup killed before its rename
            string temp = Path.Combine(dir, hidden + "." + Environment.ProcessId + ".tmp");
            SafeFile.DeleteIfLeftOver(temp);
            // Created exclusively and never through a link: a name planted beside a project's settings cannot redirect it.
            using (FileStream file = SafeFile.OpenWrite(temp, FileMode.CreateNew))
            {
                file.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
            }
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
