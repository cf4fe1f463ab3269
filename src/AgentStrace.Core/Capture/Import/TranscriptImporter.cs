using AgentStrace.Capture.Redaction;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// Imports a Claude Code transcript (and its <c>&lt;session&gt;/subagents/*.jsonl</c>) into the store. The main thread
/// becomes a session with the transcript's sessionId; each sub-agent (and each compaction) becomes a child session
/// linked to the Task/Agent call that spawned it. A <c>subagents/</c> folder whose parent transcript is missing is
/// imported the same way, its sessions linked to the parent id their lines name. Re-importing appends only events
/// whose ids are not stored yet.
/// </summary>
public sealed class TranscriptImporter(TraceStore store, Redactor redactor)
{
    private readonly SessionImportWriter _writer = new(store, redactor);

    public List<ImportResult> Import(string path) => Read(path, redactor).Select(_writer.Write).ToList();

    /// <summary>
    /// Reads one transcript into sessions. <paramref name="path"/> is <c>&lt;dir&gt;/&lt;session&gt;.jsonl</c>; the file
    /// may be missing when <c>&lt;dir&gt;/&lt;session&gt;/subagents/</c> exists (an orphan sub-agent folder).
    /// </summary>
    public static List<ImportedSession> Read(string path) => Read(path, Redactor.Off);

    /// <param name="redactor">Redacts texts before the mapper cuts them (the writer redacts the events again).</param>
    /// <param name="unsettledAfter">See <see cref="TranscriptMapper.Map"/>: requests still streaming after this time are held back.</param>
    public static List<ImportedSession> Read(string path, Redactor redactor, double unsettledAfter = double.PositiveInfinity)
    {
        string full = Path.GetFullPath(path);
        string stem = Path.GetFileNameWithoutExtension(full);
        string subDir = Path.Combine(Path.GetDirectoryName(full)!, stem, "subagents");
        bool hasMain = File.Exists(full);
        if (!hasMain && !Directory.Exists(subDir))
        {
            throw new AgentStraceException($"Transcript '{path}' not found; give a .jsonl file from ~/.claude/projects or use --discover.");
        }
        List<TranscriptEntry> entries = hasMain ? TranscriptReader.ReadFile(full, 0, out _, out _) : [];

        var main = new List<TranscriptEntry>();
        var children = new Dictionary<string, List<TranscriptEntry>>(StringComparer.Ordinal);
        var mirrors = new Dictionary<string, List<TranscriptEntry>>(StringComparer.Ordinal);
        foreach (TranscriptEntry e in entries)
        {
            Route(e, "", main, children);
            if (Mirrored(e) is { } inner) Add(mirrors, inner.AgentId, inner);
        }
        var spawnsFromMeta = new Dictionary<string, string>(StringComparer.Ordinal);
        string sessionId = entries.Select(e => e.SessionId).FirstOrDefault(s => s.Length > 0) ?? "";
        if (Directory.Exists(subDir))
        {
            foreach (string file in Directory.GetFiles(subDir, "*.jsonl").Order(StringComparer.Ordinal))
            {
                string fileAgent = Path.GetFileNameWithoutExtension(file);
                fileAgent = fileAgent.StartsWith("agent-", StringComparison.Ordinal) ? fileAgent["agent-".Length..] : fileAgent;
                foreach (TranscriptEntry e in TranscriptReader.ReadFile(file, 0, out _, out _))
                {
                    if (sessionId.Length == 0 && e.SessionId.Length > 0) sessionId = e.SessionId;
                    Route(e, fileAgent, main, children);
                }
                ReadSpawnMeta(Path.ChangeExtension(file, ".meta.json"), fileAgent, spawnsFromMeta);
            }
        }
        // A sub-agent seen only through the parent's mirrored progress lines: its requests come from the mirror
        // (once: the lines of one request share message.id). With its own file, the mirror is ignored.
        foreach (var (agent, list) in mirrors)
        {
            if (!children.ContainsKey(agent)) children[agent] = list;
        }
        sessionId = CaptureIds.SafePart(sessionId.Length > 0 ? sessionId : stem, 128);

        var sessions = new List<ImportedSession>();
        MappedSession? mapped = null;
        if (hasMain)
        {
            mapped = TranscriptMapper.Map(main, sessionId, "main", redactor, unsettledAfter);
            string command = $"imported from {Path.GetFileName(full)} (branch: {mapped.GitBranch}, v{mapped.Version})";
            sessions.Add(new ImportedSession(sessionId, mapped, full, command));
        }
        foreach (var (agentId, list) in children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            string childId = CaptureIds.SubagentSession(sessionId, agentId);
            MappedSession child = TranscriptMapper.Map(list, childId, "sidechain:" + agentId, redactor, unsettledAfter);
            string toolUse = mapped is not null && mapped.AgentSpawns.TryGetValue(agentId, out string? t) ? t
                : spawnsFromMeta.TryGetValue(agentId, out string? t2) ? t2 : "";
            string subType = toolUse.Length > 0 && mapped is not null && mapped.SubagentTypes.TryGetValue(toolUse, out string? st) ? st
                : agentId.StartsWith("acompact", StringComparison.Ordinal) ? "compaction" : "";
            string from = hasMain ? Path.GetFileName(full) : Path.GetFileName(Path.GetDirectoryName(subDir)) + "/subagents";
            string command = $"imported sub-agent {agentId}" + (subType.Length > 0 ? $" ({subType})" : "") + $" from {from}";
            sessions.Add(new ImportedSession(childId, child, hasMain ? full : subDir, command)
            {
                ParentSessionId = sessionId,
                ParentEventId = toolUse.Length > 0 ? CaptureIds.ToolCall(toolUse) : "",
            });
        }
        return sessions;
    }

    private static void Route(TranscriptEntry e, string fileAgent, List<TranscriptEntry> main, Dictionary<string, List<TranscriptEntry>> children)
    {
        if (e.Type is "queue-operation" or "file-history-snapshot") return;
        if (!e.IsSidechain && fileAgent.Length == 0) { main.Add(e); return; }
        Add(children, e.AgentId.Length > 0 ? e.AgentId : fileAgent.Length > 0 ? fileAgent : "sidechain", e);
    }

    private static void Add(Dictionary<string, List<TranscriptEntry>> map, string key, TranscriptEntry e)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(e);
    }

    /// <summary>The sub-agent line inside a parent's <c>progress/agent_progress</c> line, or null.</summary>
    private static TranscriptEntry? Mirrored(TranscriptEntry e)
    {
        if (e.Type != "progress" || e.Data.GetString("type"u8) != "agent_progress") return null;
        string agent = e.Data.GetString("agentId"u8);
        if (agent.Length == 0 || !e.Data.TryGet("message"u8, out RawJsonValue message) || !message.IsObject) return null;
        TranscriptEntry? inner = TranscriptReader.Parse(message.AsObject().Raw);
        if (inner is null || inner.Type is not ("assistant" or "user")) return null;
        inner.IsSidechain = true;
        inner.AgentId = agent;
        if (inner.SessionId.Length == 0) inner.SessionId = e.SessionId;
        if (inner.Timestamp == 0) inner.Timestamp = e.Timestamp;
        if (inner.Cwd.Length == 0) inner.Cwd = e.Cwd;
        return inner;
    }

    private static void ReadSpawnMeta(string path, string agentId, Dictionary<string, string> spawns)
    {
        try
        {
            if (SafeFile.TryReadAllBytes(path, 1 << 20) is not { } bytes) return;
            string toolUse = new RawJsonObject(bytes).GetString("toolUseId"u8);
            if (toolUse.Length > 0) spawns[agentId] = toolUse;
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException) { }
    }

    /// <summary>
    /// Every transcript under <c>&lt;claudeDir&gt;/projects/*/</c>, oldest first: each <c>*.jsonl</c>, plus the
    /// would-be path <c>&lt;session&gt;.jsonl</c> of each <c>&lt;session&gt;/subagents/</c> folder whose transcript is missing.
    /// </summary>
    public static List<string> Discover(string claudeDir)
    {
        string projects = Path.Combine(claudeDir, "projects");
        if (!Directory.Exists(projects)) return [];
        // "<19-digit ticks> <path>" sorts by time, then path, as plain strings (a sort over (path, time) tuples links
        // ~15 KB of generic code for this one list).
        var found = new List<string>();
        foreach (string project in Directory.GetDirectories(projects))
        {
            foreach (string file in Directory.GetFiles(project, "*.jsonl")) found.Add(Keyed(file, File.GetLastWriteTimeUtc(file)));
            foreach (string dir in Directory.GetDirectories(project))
            {
                string transcript = dir + ".jsonl";
                string sub = Path.Combine(dir, "subagents");
                if (File.Exists(transcript) || !Directory.Exists(sub) || Directory.GetFiles(sub, "*.jsonl").Length == 0) continue;
                found.Add(Keyed(transcript, Directory.GetLastWriteTimeUtc(sub)));
            }
        }
        found.Sort(StringComparer.Ordinal);
        for (int i = 0; i < found.Count; i++) found[i] = found[i][20..];
        return found;
    }

    private static string Keyed(string path, DateTime time) =>
        Math.Max(0, time.Ticks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + " " + path;

    /// <summary><c>$CLAUDE_CONFIG_DIR</c>, else <c>~/.claude</c>.</summary>
    public static string DefaultClaudeDir() =>
        Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR") is { Length: > 0 } dir ? dir
            : Path.Combine(Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".claude");
}
