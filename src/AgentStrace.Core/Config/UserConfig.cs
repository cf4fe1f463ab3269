using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;

namespace AgentStrace.Config;

/// <summary>
/// The user's own configuration, the only file that may weaken protection (turn redaction off, stop transcript
/// reading): <c>$XDG_CONFIG_HOME/agent-strace/config.json</c>, else <c>~/.config/agent-strace/config.json</c>
/// (Windows: <c>%APPDATA%\agent-strace\config.json</c>). A store inside a working tree is written by whoever wrote
/// the repository, so it is never trusted for these settings. The file is a <see cref="UserConfigDocument"/>, read
/// strictly: an unknown or repeated setting is an error naming it.
/// </summary>
public sealed class UserConfig
{
    public const string DirName = "agent-strace";
    public const string FileName = "config.json";
    private const long MaxBytes = 1 << 20;

    private UserConfig(string path, UserConfigDocument document)
    {
        Path = path;
        Document = document;
    }

    /// <summary>Where the file is (or would be); "" when no home or config directory is known.</summary>
    public string Path { get; }

    /// <summary>The parsed document (empty when the file does not exist).</summary>
    public UserConfigDocument Document { get; }

    /// <summary>The configuration file's path by the lookup order above, or "" when none can be formed.</summary>
    public static string DefaultPath()
    {
        if (OperatingSystem.IsWindows())
        {
            string appData = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
            return appData.Length > 0 ? System.IO.Path.Combine(appData, DirName, FileName) : "";
        }
        if (Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg))
        {
            return System.IO.Path.Combine(xdg, DirName, FileName);
        }
        string home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 ? System.IO.Path.Combine(home, ".config", DirName, FileName) : "";
    }

    /// <summary>
    /// Loads the user's configuration. The user may keep it behind a link (dotfile managers do), so a final link is
    /// resolved, but what it names must be a regular file of at most 1 MiB; invalid JSON is an error naming the file.
    /// </summary>
    public static UserConfig Load() => Load(DefaultPath());

    public static UserConfig Load(string path)
    {
        if (path.Length == 0) return new UserConfig(path, new UserConfigDocument());
        string target = path;
        try
        {
            if (new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } link) target = link.FullName;
        }
        catch (IOException) { }
        byte[]? bytes = SafeFile.TryReadAllBytes(target, MaxBytes);
        if (bytes is null) return new UserConfig(path, new UserConfigDocument());
        try
        {
            return new UserConfig(path, UserConfigDocument.Parse(bytes));
        }
        catch (System.Text.Json.JsonException ex)
        {
            string reason = DocumentJson.Plain(ex);
            throw new FormatException(ex.Path?.StartsWith("$.ship", StringComparison.Ordinal) == true
                ? $"the \"ship\" section of {path} is not valid ({reason}); run 'agent-strace setup --ship-to URL' again"
                : $"{path} is not valid JSON ({reason}); fix or delete it.");
        }
    }
}
