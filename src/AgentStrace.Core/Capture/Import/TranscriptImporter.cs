using AgentStrace.Capture.Redaction;
using AgentStrace.Errors;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// Imports a Claude Code transcript (and its <c>&lt;session&gt;/subagents/*.jsonl</c>) into the store. The main thread
/// becomes a session with the transcript's sessionId; each sub-agent becomes a child session linked to the Task/Agent
/// call that spawned it. Re-importing appends only events whose ids are not stored yet.
/// </summary>
public sealed class TranscriptImporter(TraceStore store, Redactor redactor)
{
    public List<ImportResult> Import(string path)
    {
        if (!File.Exists(path)) throw new AgentStraceException($"Transcript '{path}' not found; give a .jsonl file from ~/.claude/projects or use --discover.");
        List<TranscriptEntry> entries = TranscriptReader.ReadFile(path, 0, out _, out _);
        string stem = Path.GetFileNameWithoutExtension(path);
        string sessionId = entries.Select(e => e.SessionId).FirstOrDefault(s => s.Length > 0) ?? stem;
        sessionId = CaptureIds.SafePart(sessionId, 128);

        var main = new List<TranscriptEntry>();
        var children = new Dictionary<string, List<TranscriptEntry>>(StringComparer.Ordinal);
        foreach (TranscriptEntry e in entries) Route(e, "", main, children);
        var spawnsFromMeta = new Dictionary<string, string>(StringComparer.Ordinal);
        string subDir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, stem, "subagents");
        if (Directory.Exists(subDir))
        {
            foreach (string file in Directory.GetFiles(subDir, "*.jsonl").Order(StringComparer.Ordinal))
            {
                string fileAgent = Path.GetFileNameWithoutExtension(file);
                fileAgent = fileAgent.StartsWith("agent-", StringComparison.Ordinal) ? fileAgent["agent-".Length..] : fileAgent;
                foreach (TranscriptEntry e in TranscriptReader.ReadFile(file, 0, out _, out _)) Route(e, fileAgent, main, children);
                ReadSpawnMeta(Path.ChangeExtension(file, ".meta.json"), fileAgent, spawnsFromMeta);
            }
        }

        var results = new List<ImportResult>();
        MappedSession? mapped = null;
        if (main.Count > 0 || File.Exists(Path.Combine(store.SessionDir(sessionId), "meta.json")))
        {
            mapped = TranscriptMapper.Map(main, sessionId, "main", redactor);
            string command = $"imported from {Path.GetFileName(path)} (branch: {mapped.GitBranch}, v{mapped.Version})";
            results.Add(Write(sessionId, mapped, path, command, null));
        }
        foreach (var (agentId, list) in children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            string childId = CaptureIds.SubagentSession(sessionId, agentId);
            MappedSession child = TranscriptMapper.Map(list, childId, "sidechain:" + agentId, redactor);
            string toolUse = mapped is not null && mapped.AgentSpawns.TryGetValue(agentId, out string? t) ? t
                : spawnsFromMeta.TryGetValue(agentId, out string? t2) ? t2 : "";
            string subType = toolUse.Length > 0 && mapped is not null && mapped.SubagentTypes.TryGetValue(toolUse, out string? st) ? st : "";
            string command = $"imported sub-agent {agentId}" + (subType.Length > 0 ? $" ({subType})" : "") + $" from {Path.GetFileName(path)}";
            results.Add(Write(childId, child, path, command, meta =>
            {
                meta.ParentSessionId = sessionId;
                if (toolUse.Length > 0) meta.ParentEventId = CaptureIds.ToolCall(toolUse);
                meta.Depth = 1;
            }));
        }
        return results;
    }

    private static void Route(TranscriptEntry e, string fileAgent, List<TranscriptEntry> main, Dictionary<string, List<TranscriptEntry>> children)
    {
        if (e.Type is "queue-operation" or "file-history-snapshot") return;
        if (!e.IsSidechain && fileAgent.Length == 0) { main.Add(e); return; }
        string agent = e.AgentId.Length > 0 ? e.AgentId : fileAgent.Length > 0 ? fileAgent : "sidechain";
        if (!children.TryGetValue(agent, out var list)) children[agent] = list = [];
        list.Add(e);
    }

    private static void ReadSpawnMeta(string path, string agentId, Dictionary<string, string> spawns)
    {
        try
        {
            if (!File.Exists(path)) return;
            string toolUse = new JsonObject(File.ReadAllBytes(path)).GetString("toolUseId"u8);
            if (toolUse.Length > 0) spawns[agentId] = toolUse;
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException) { }
    }

    private ImportResult Write(string sessionId, MappedSession mapped, string source, string command, Action<SessionMeta>? link)
    {
        var end = new EventBuilder();
        double duration = mapped.TurnDurationMs > 0 ? mapped.TurnDurationMs : (mapped.End - mapped.Start) * 1000;
        end.Data.WriteNumber("duration_ms", duration);
        end.Data.WriteNumber("tool_calls", mapped.ToolCalls);
        end.Data.WriteNumber("llm_requests", mapped.LlmRequests);
        end.Data.WriteNumber("total_tokens", mapped.TotalTokens);
        end.Data.WriteString("source", Path.GetFullPath(source));
        var events = new List<TraceEvent>(mapped.Events)
        {
            end.Build(EventType.SessionEnd, sessionId, mapped.End, eventId: CaptureIds.Event("session_end:" + sessionId)),
        };
        CaptureWriter.EnsureSession(store, sessionId, () => new SessionMeta
        {
            StartedAt = mapped.Start > 0 ? mapped.Start : Clock.Now(),
            AgentName = "claude-code",
            Command = redactor.Text(command),
        }, out _);
        string dir = store.SessionDir(sessionId);
        int written = CaptureWriter.AppendNew(dir, events, redactor);
        TraceStore.UpdateMeta(dir, m =>
        {
            if (mapped.Start > 0 && (m.StartedAt == 0 || mapped.Start < m.StartedAt)) m.StartedAt = mapped.Start;
            if (mapped.End > 0) m.EndedAt = Math.Max(mapped.End, m.EndedAt ?? 0);
            m.ToolCalls = mapped.ToolCalls;
            m.LlmRequests = mapped.LlmRequests;
            m.Errors = mapped.Errors;
            m.TotalTokens = mapped.TotalTokens;
            m.TotalDurationMs = duration;
            link?.Invoke(m);
        });
        return new ImportResult(sessionId, link is not null, written, mapped.ToolCalls, mapped.LlmRequests, mapped.TotalTokens, mapped.Errors);
    }

    /// <summary>Every transcript under <c>&lt;claudeDir&gt;/projects/*/*.jsonl</c>, oldest first.</summary>
    public static List<string> Discover(string claudeDir)
    {
        string projects = Path.Combine(claudeDir, "projects");
        if (!Directory.Exists(projects)) return [];
        return Directory.GetDirectories(projects)
            .SelectMany(d => Directory.GetFiles(d, "*.jsonl"))
            .OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).ToList();
    }

    /// <summary><c>$CLAUDE_CONFIG_DIR</c>, else <c>~/.claude</c>.</summary>
    public static string DefaultClaudeDir() =>
        Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR") is { Length: > 0 } dir ? dir
            : Path.Combine(Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".claude");
}
