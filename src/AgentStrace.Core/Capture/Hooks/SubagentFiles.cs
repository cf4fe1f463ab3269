using System.Text;
using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// The sub-agent transcripts Claude Code writes beside a session's transcript while its sub-agents run:
/// <c>&lt;session&gt;/subagents/agent-&lt;id&gt;.jsonl</c> with <c>agent-&lt;id&gt;.meta.json</c> (agentType, toolUseId of
/// the spawning Agent call, finished). Every read here is bounded: at most <see cref="MaxFiles"/> files, the last
/// <see cref="TailBytes"/> of a transcript and <see cref="MetaBytes"/> of a meta file.
/// </summary>
public static class SubagentFiles
{
    public const int MaxFiles = 64;
    public const int TailBytes = 256 * 1024;
    public const int MetaBytes = 64 * 1024;

    /// <summary>One sub-agent transcript and what its meta file says.</summary>
    public sealed class Agent(string id, string transcriptPath, string agentType, string spawnToolUseId, bool finished)
    {
        public string Id { get; } = id;
        public string TranscriptPath { get; } = transcriptPath;
        public string AgentType { get; } = agentType;
        public string SpawnToolUseId { get; } = spawnToolUseId;
        public bool Finished { get; } = finished;
    }

    private sealed class Written(string path, long ticks)
    {
        public string Path { get; } = path;
        public long Ticks { get; } = ticks;
    }

    /// <summary><c>&lt;transcript without .jsonl&gt;/subagents</c>, or "" when the parent transcript path is unusable.</summary>
    public static string DirOf(string parentTranscript)
    {
        string path = TranscriptUsage.Expand(parentTranscript);
        return path.EndsWith(".jsonl", StringComparison.Ordinal) ? Path.Combine(path[..^".jsonl".Length], "subagents") : "";
    }

    /// <summary>The sub-agents of a session, newest transcript first, at most <see cref="MaxFiles"/>.</summary>
    public static List<Agent> List(string parentTranscript)
    {
        var agents = new List<Agent>();
        string dir = DirOf(parentTranscript);
        if (dir.Length == 0 || !Directory.Exists(dir)) return agents;
        var files = new List<Written>();
        try
        {
            foreach (string f in Directory.EnumerateFiles(dir, "agent-*.jsonl"))
            {
                if ((File.GetAttributes(f) & FileAttributes.ReparsePoint) != 0) continue; // a symlink could point anywhere
                files.Add(new Written(f, File.GetLastWriteTimeUtc(f).Ticks));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return agents; }
        files.Sort((a, b) => b.Ticks.CompareTo(a.Ticks));
        for (int i = 0; i < files.Count && i < MaxFiles; i++)
        {
            string name = Path.GetFileName(files[i].Path);
            string id = name["agent-".Length..^".jsonl".Length];
            if (id.Length > 0) agents.Add(ReadMeta(id, files[i].Path));
        }
        return agents;
    }

    /// <summary>The sub-agent named <paramref name="agentId"/> (its transcript need not exist yet).</summary>
    public static Agent Named(string parentTranscript, string agentId)
    {
        string dir = DirOf(parentTranscript);
        return ReadMeta(agentId, dir.Length == 0 ? "" : Path.Combine(dir, "agent-" + agentId + ".jsonl"));
    }

    private static Agent ReadMeta(string id, string transcript)
    {
        string type = "", spawn = "";
        bool finished = false;
        if (transcript.Length > 0 && ReadHead(transcript[..^".jsonl".Length] + ".meta.json", MetaBytes) is { } bytes)
        {
            try
            {
                var meta = new RawJsonObject(bytes);
                type = meta.GetString("agentType"u8);
                spawn = meta.GetString("toolUseId"u8);
                finished = meta.TryGet("finished"u8, out RawJsonValue f) && f.IsTruthy;
            }
            catch (System.Text.Json.JsonException) { } // half-written or foreign: the transcript alone still counts
        }
        return new Agent(id, transcript, type, spawn, finished);
    }

    /// <summary>
    /// Whether the last <see cref="TailBytes"/> of <paramref name="path"/> hold the tool_use block <paramref name="toolUseId"/>.
    /// With <paramref name="mainThreadOnly"/> a line that mirrors a sub-agent (older versions copy sub-agent lines
    /// into the parent as <c>progress</c> or <c>isSidechain</c> lines) does not count.
    /// </summary>
    public static bool HasToolUse(string path, string toolUseId, bool mainThreadOnly = false)
    {
        if (path.Length == 0 || toolUseId.Length == 0) return false;
        byte[]? tail = ReadTail(path, TailBytes);
        if (tail is null) return false;
        // Compact JSON as Claude Code writes it; "tool_use_id" of a result does not match because of the leading quote.
        byte[] needle = Encoding.UTF8.GetBytes("\"id\":\"" + toolUseId + "\"");
        ReadOnlySpan<byte> rest = tail;
        while (rest.IndexOf(needle) is int at and >= 0)
        {
            if (!mainThreadOnly) return true;
            int start = rest[..at].LastIndexOf((byte)'\n') + 1;
            int end = rest[at..].IndexOf((byte)'\n') is int nl and >= 0 ? at + nl : rest.Length;
            ReadOnlySpan<byte> line = rest[start..end];
            if (line.IndexOf("\"isSidechain\":true"u8) < 0 && line.IndexOf("\"type\":\"progress\""u8) < 0) return true;
            rest = rest[end..];
        }
        return false;
    }

    internal static byte[]? ReadTail(string path, int max)
    {
        try
        {
            using FileStream file = SafeFile.OpenRead(path); // regular files only: a FIFO named *.jsonl would block
            if (!file.CanSeek) return null;
            long start = Math.Max(0, file.Length - max);
            file.Seek(start, SeekOrigin.Begin);
            byte[] bytes = new byte[file.Length - start];
            int read = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return read == bytes.Length ? bytes : bytes[..read];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    private static byte[]? ReadHead(string path, int max)
    {
        try
        {
            using FileStream file = SafeFile.OpenRead(path); // regular files only: a FIFO named *.jsonl would block
            if (!file.CanSeek || file.Length > max) return null;
            byte[] bytes = new byte[file.Length];
            int read = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return read == bytes.Length ? bytes : bytes[..read];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }
}
