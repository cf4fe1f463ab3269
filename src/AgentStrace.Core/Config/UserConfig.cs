using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Config;

/// <summary>
/// The user's own configuration, the only file that may weaken protection (turn redaction off, stop transcript
/// reading): <c>$XDG_CONFIG_HOME/agent-strace/config.json</c>, else <c>~/.config/agent-strace/config.json</c>
/// (Windows: <c>%APPDATA%\agent-strace\config.json</c>). A store inside a working tree is written by whoever wrote
/// the repository, so it is never trusted for these settings. The document is kept whole (<see cref="Document"/>)
/// so later settings (delivery targets) live in the same file.
/// </summary>
public sealed class UserConfig
{
    public const string DirName = "agent-strace";
    public const string FileName = "config.json";
    private const long MaxBytes = 1 << 20;

    private UserConfig(string path, RawJsonObject document)
    {
        Path = path;
        Document = document;
    }

    /// <summary>Where the file is (or would be); "" when no home or config directory is known.</summary>
    public string Path { get; }

    /// <summary>The parsed document (empty when the file does not exist).</summary>
    public RawJsonObject Document { get; }

    /// <summary>A boolean setting, or null when the file does not set it.</summary>
    public bool? Bool(ReadOnlySpan<byte> key) => Document.TryGet(key, out RawJsonValue v) && v.IsBool ? v.Kind == System.Text.Json.JsonTokenType.True : null;

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
        if (path.Length == 0) return new UserConfig(path, new RawJsonObject("{}"u8.ToArray()));
        string target = path;
        try
        {
            if (new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } link) target = link.FullName;
        }
        catch (IOException) { }
        byte[]? bytes = SafeFile.TryReadAllBytes(target, MaxBytes);
        if (bytes is null) return new UserConfig(path, new RawJsonObject("{}"u8.ToArray()));
        try
        {
            var document = new RawJsonObject(bytes);
            var check = new System.Text.Json.Utf8JsonReader(bytes);
            if (!check.Read() || check.TokenType != System.Text.Json.JsonTokenType.StartObject) throw new System.Text.Json.JsonException("not a JSON object");
            check.Skip();
            return new UserConfig(path, document);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FormatException($"{path} is not valid JSON ({ex.Message}); fix or delete it.");
        }
    }
}
