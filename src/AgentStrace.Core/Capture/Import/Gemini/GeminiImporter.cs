using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Gemini;

/// <summary>
/// Imports Gemini CLI chats from <c>~/.gemini/tmp/&lt;project&gt;/chats/</c>. A main chat brings its sub-agent chats
/// (<c>chats/&lt;parentSessionId&gt;/&lt;agentSessionId&gt;.jsonl</c>) as child sessions linked to the tool call whose
/// <c>agentId</c> names them. Files without a real prompt or model reply (the header-only file a resume leaves) are skipped.
/// </summary>
public static class GeminiImporter
{
    /// <summary>
    /// The chat's session, then its sub-agents', each streamed as the writer stores it: each session must be stored
    /// before the next is asked for (the children are linked to the calls the parent's events named, and a parent
    /// without activity brings none).
    /// </summary>
    public static IEnumerable<ImportedSession> Read(string path, UnknownRecords unknown, Redactor? redactor = null)
    {
        GeminiChat chat = GeminiChat.Read(path, unknown);
        GeminiReader main = GeminiReader.Open(path, chat, unknown, redactor);
        string parentDir = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "");
        if (chat.Kind == "subagent") LinkToParent(main.Session, path, parentDir);
        // A header-only file (what a resume leaves beside the chat it continues, with the same sessionId) stores nothing.
        yield return main.Session.ToImported(Prefetch.Events(main.Events()));
        if (!main.Session.HasActivity || chat.Kind == "subagent" || chat.SessionId.Length == 0) yield break;
        string children = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, chat.SessionId);
        if (!Directory.Exists(children)) yield break;
        foreach (string file in Directory.GetFiles(children, "*.jsonl").Order(StringComparer.Ordinal))
        {
            GeminiReader child = GeminiReader.Open(file, GeminiChat.Read(file, unknown), unknown, redactor);
            Link(child.Session, main.Session);
            yield return child.Session.ToImported(Prefetch.Events(child.Events()));
        }
    }

    private static void Link(AgentSession child, AgentSession parent)
    {
        child.ParentSessionId = parent.SessionId;
        child.Depth = 1;
        string raw = Path.GetFileNameWithoutExtension(child.Source);
        foreach (var (agentId, callId) in parent.Mapped.AgentSpawns)
        {
            if (CaptureIds.SafePart(agentId, 128) == child.SessionId || agentId == raw) child.ParentEventId = AgentEvents.ToolId(GeminiReader.Agent, callId);
        }
    }

    /// <summary>A sub-agent file given on its own: its parent is the chat in the directory above whose sessionId names its folder.</summary>
    private static void LinkToParent(AgentSession child, string path, string parentSessionId)
    {
        string chats = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path))!)!;
        string prefix = parentSessionId.Length >= 8 ? parentSessionId[..8] : parentSessionId;
        foreach (string file in Directory.GetFiles(chats, "session-*").Where(f => Path.GetFileNameWithoutExtension(f).EndsWith(prefix, StringComparison.Ordinal)))
        {
            var quiet = new UnknownRecords();
            GeminiChat chat = GeminiChat.Read(file, quiet);
            if (chat.SessionId != parentSessionId) continue;
            // The parent's events are read only for the sub-agent calls they name.
            GeminiReader parent = GeminiReader.Open(file, chat, quiet);
            foreach (var _ in parent.Events()) { }
            Link(child, parent.Session);
            return;
        }
        child.ParentSessionId = CaptureIds.SafePart(parentSessionId, 128);
        child.Depth = 1;
    }

    /// <summary>
    /// Main chats under <c>&lt;geminiDir&gt;/tmp/*/chats/</c>, oldest first; when a legacy <c>.json</c> was migrated to
    /// <c>.jsonl</c> on resume, only the <c>.jsonl</c> is read. Sub-agent chats come with their parent.
    /// </summary>
    public static List<string> Discover(string geminiDir)
    {
        string tmp = Path.Combine(geminiDir, "tmp");
        if (!Directory.Exists(tmp)) return [];
        var files = new List<string>();
        foreach (string project in Directory.GetDirectories(tmp))
        {
            string chats = Path.Combine(project, "chats");
            if (!Directory.Exists(chats)) continue;
            var stems = Directory.GetFiles(chats, "session-*.jsonl").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
            files.AddRange(Directory.GetFiles(chats, "session-*.jsonl"));
            files.AddRange(Directory.GetFiles(chats, "session-*.json").Where(f => !stems.Contains(Path.GetFileNameWithoutExtension(f))));
        }
        return files.OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).ToList();
    }

    /// <summary>The project folder of a chat: <c>.project_root</c> in its project directory, else the path <c>projects.json</c> maps to that directory.</summary>
    public static string ProjectRoot(string chatFile)
    {
        try
        {
            DirectoryInfo? chats = new FileInfo(Path.GetFullPath(chatFile)).Directory;
            if (chats is not null && chats.Name != "chats") chats = chats.Parent;
            DirectoryInfo? project = chats?.Parent;
            if (project is null) return "";
            string marker = Path.Combine(project.FullName, ".project_root");
            // Regular files only, bounded: a FIFO or /dev/zero beside a chat must not hang or fill memory.
            if (FileSystem.SafeFile.TryReadAllText(marker, 64 << 10) is { } root0) return root0.Trim();
            string registry = Path.Combine(project.Parent?.Parent?.FullName ?? "", "projects.json");
            if (FileSystem.SafeFile.TryReadAllBytes(registry, 16 << 20) is not { } projects) return "";
            foreach (var (root, slug) in new RawJsonObject(projects).GetObject("projects"u8).Properties())
            {
                if (slug.GetString() == project.Name) return root;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException) { }
        return "";
    }

    /// <summary><c>$GEMINI_CLI_HOME/.gemini</c>, else <c>~/.gemini</c>.</summary>
    public static string DefaultDir() =>
        Path.Combine(Environment.GetEnvironmentVariable("GEMINI_CLI_HOME") is { Length: > 0 } home ? home : AgentHome.User(), ".gemini");
}
