using System.Globalization;
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
