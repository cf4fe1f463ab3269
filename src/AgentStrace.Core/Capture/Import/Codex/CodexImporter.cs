using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Redaction;

namespace AgentStrace.Capture.Import.Codex;

/// <summary>
/// Imports Codex CLI rollouts. A spawned sub-agent's rollout becomes a session linked to its parent and to the
/// parent's spawn_agent call (whose output names the child's thread id); the parent's rollout is looked up next to the
/// child's (same sessions tree or archived_sessions), so files can be read in any order and in parallel.
/// </summary>
public static class CodexImporter
{
    /// <summary>The rollout's session, its events streamed as the writer stores them (nothing is stored for a file without activity).</summary>
    public static List<ImportedSession> Read(string path, UnknownRecords unknown, Redactor? redactor = null)
    {
        CodexReader reader = CodexReader.Open(path, unknown, redactor);
        AgentSession s = reader.Session;
        if (s.ParentSessionId.Length > 0 && FindRollout(path, s.ParentSessionId) is { } parentFile)
        {
            foreach (var (child, call) in CodexScan.Read(parentFile).Spawns)
            {
                if (CaptureIds.SafePart(child, 128) == s.SessionId) s.ParentEventId = AgentEvents.ToolId(CodexReader.Agent, call);
            }
        }
        return [s.ToImported(Prefetch.Events(reader.Events()))];
    }

    /// <summary>The rollout of <paramref name="threadId"/>: beside <paramref name="near"/>, else anywhere under its CODEX_HOME.</summary>
    private static string? FindRollout(string near, string threadId)
    {
        string pattern = "rollout-*" + threadId + ".jsonl";
        string dir = Path.GetDirectoryName(Path.GetFullPath(near))!;
        if (Directory.GetFiles(dir, pattern).FirstOrDefault() is { } beside) return beside;
        for (DirectoryInfo? d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            if (d.Name is not ("sessions" or "archived_sessions") || d.Parent is null) continue;
            return Discover(d.Parent.FullName).FirstOrDefault(f => f.EndsWith(threadId + ".jsonl", StringComparison.Ordinal));
        }
        return null;
    }

    /// <summary>
    /// Every rollout under <c>sessions/YYYY/MM/DD/</c> and the flat <c>archived_sessions/</c>, oldest first by the
    /// time in the file name (parents before the children they spawned). A thread found in both places is read once,
    /// from sessions/.
    /// </summary>
    public static List<string> Discover(string codexHome)
    {
        var byThread = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string sub in (string[])["sessions", "archived_sessions"])
        {
            string root = Path.Combine(codexHome, sub);
            if (!Directory.Exists(root)) continue;
            foreach (string file in Directory.EnumerateFiles(root, "rollout-*.jsonl", SearchOption.AllDirectories))
            {
                byThread.TryAdd(CodexReader.IdFromFileName(file), file);
            }
        }
        return byThread.Values.OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
    }

    /// <summary><c>$CODEX_HOME</c>, else <c>~/.codex</c>.</summary>
    public static string DefaultHome() =>
        Environment.GetEnvironmentVariable("CODEX_HOME") is { Length: > 0 } dir ? dir : Path.Combine(AgentHome.User(), ".codex");
}
