using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;

namespace AgentStrace.Store;

/// <summary>
/// Reads <c>&lt;session&gt;/watchdog-postmortem.json</c>, which <c>watch</c>'s watchdog writes when it stops an agent, so
/// exports can mark the session as killed without knowing the watchdog.
/// </summary>
public static class PostmortemFile
{
    public const string FileName = "watchdog-postmortem.json";

    /// <summary>The recorded reason when the watchdog terminated the session in <paramref name="sessionDir"/>, else null.</summary>
    public static string? ReadReason(string sessionDir)
    {
        string path = Path.Combine(sessionDir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            PostmortemDocument doc = PostmortemDocument.Parse(SafeFile.ReadAllBytes(path, 64 << 20));
            return doc.Reason is { Length: > 0 } reason ? reason : "terminated";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return "terminated";
        }
    }
}
