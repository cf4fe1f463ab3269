using AgentStrace.Capture.Redaction;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;
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

    public List<ImportResult> Import(string path)
    {
        var results = new List<ImportResult>();
        foreach (ImportedSession s in Read(path, redactor)) if (_writer.Write(s) is { } r) results.Add(r);
        return results;
    }

    /// <summary>Files up to this size are parsed once and held while they are mapped; larger ones are read twice.</summary>
    public const long HoldBytes = 8 << 20;

    /// <summary>
    /// Reads one transcript into sessions. <paramref name="path"/> is <c>&lt;dir&gt;/&lt;session&gt;.jsonl</c>; the file
    /// may be missing when <c>&lt;dir&gt;/&lt;session&gt;/subagents/</c> exists (an orphan sub-agent folder).
    /// </summary>
    public static IEnumerable<ImportedSession> Read(string path) => Read(path, Redactor.Off);

    /// <summary>
    /// The sessions of one transcript, main thread first, each mapped while it is stored (store one before asking for
    /// the next: a sub-agent's link to its Task call is known once the main thread has been mapped). A first pass routes
    /// and plans (<see cref="TranscriptScan"/>); each session's events then come from a second read of its lines, so a
    /// transcript of any size is imported in bounded memory.
    /// </summary>
    /// <param name="redactor">Redacts texts before the mapper cuts them (the writer redacts the events again).</param>
    /// <param name="unsettledAfter">Epoch seconds: a request whose lines end the stream at or after this time may still
    /// be streaming (Claude Code rewrites the usage on each line of a response and marks none as the last), so it is
    /// held back for a later import (<see cref="MappedSession.HeldBack"/>) instead of being stored with a partial count.</param>
    /// <param name="holdBytes">Files up to this size are not read twice (see <see cref="HoldBytes"/>).</param>
    public static IEnumerable<ImportedSession> Read(string path, Redactor redactor, double unsettledAfter = double.PositiveInfinity,
        long holdBytes = HoldBytes)
    {
        string full = Path.GetFullPath(path);
        string subDir = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full), "subagents");
        bool hasMain = File.Exists(full);
        if (!hasMain && !Directory.Exists(subDir))
        {
            throw new AgentStraceException($"Transcript '{path}' not found; give a .jsonl file from ~/.claude/projects or use --discover.");
        }
        return Sessions(full, subDir, TranscriptScan.Run(full, hasMain, subDir, holdBytes, unsettledAfter), redactor);
    }

    private static IEnumerable<ImportedSession> Sessions(string full, string subDir, TranscriptScan scan, Redactor redactor)
    {
        string stem = Path.GetFileNameWithoutExtension(full);
        string sessionId = CaptureIds.SafePart(scan.SessionId.Length > 0 ? scan.SessionId : stem, 128);
        MappedSession? mapped = null;
        if (scan.Main is { } main)
        {
            mapped = new MappedSession { Redactor = redactor, Redacted = true, HeldBack = main.Plan.HeldBack >= 0 };
            string command = $"imported from {Path.GetFileName(full)} (branch: {main.GitBranch}, v{main.Version})";
            ImportedSession session = Session(main, sessionId, "main", mapped, full, command);
            yield return session;
            // The sub-agents' links come from the main thread's mapping: finish it if the writer did not.
            if (!mapped.Complete) foreach (TraceEvent _ in session.Events) { }
        }
        foreach (var (agentId, stream) in scan.Children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            string childId = CaptureIds.SubagentSession(sessionId, agentId);
            var child = new MappedSession { Redactor = redactor, Redacted = true, HeldBack = stream.Plan.HeldBack >= 0 };
            string toolUse = mapped is not null && mapped.AgentSpawns.TryGetValue(agentId, out string? t) ? t
                : scan.SpawnsFromMeta.TryGetValue(agentId, out string? t2) ? t2 : "";
            string subType = toolUse.Length > 0 && mapped is not null && mapped.SubagentTypes.TryGetValue(toolUse, out string? st) ? st
                : agentId.StartsWith("acompact", StringComparison.Ordinal) ? "compaction" : "";
            string from = mapped is not null ? Path.GetFileName(full) : Path.GetFileName(Path.GetDirectoryName(subDir)) + "/subagents";
            string command = $"imported sub-agent {agentId}" + (subType.Length > 0 ? $" ({subType})" : "") + $" from {from}";
            yield return Session(stream, childId, "sidechain:" + agentId, child, mapped is not null ? full : subDir, command) with
            {
                ParentSessionId = sessionId,
                ParentEventId = toolUse.Length > 0 ? CaptureIds.ToolCall(toolUse) : "",
            };
        }
    }

    private static ImportedSession Session(TranscriptStream stream, string sessionId, string contextStream, MappedSession mapped,
        string source, string command) => new(sessionId, mapped, source, command)
        {
            Stream = TranscriptMapper.Map(stream.Entries(), stream.Plan, mapped, sessionId, contextStream),
            KeepEmpty = true,
        };

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
