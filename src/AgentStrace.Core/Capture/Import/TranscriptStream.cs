using AgentStrace.Json;

namespace AgentStrace.Capture.Import;

/// <summary>
/// The lines of one session in a transcript (the main thread, or one sub-agent), as the first pass found them: lines of
/// a small file are kept as parsed; of a large file only where they are (byte ranges of the files, each re-read and
/// filtered by the same routing), so the second pass reads them again one at a time and memory does not grow with the
/// file. <see cref="Plan"/> holds what the mapper needs to know ahead.
/// </summary>
public sealed class TranscriptStream(string key, bool mirror, LongLineBuffer longLines)
{
    /// <summary>Lines of other sessions a range may span before a new range starts: bounds the bytes re-read per stream.</summary>
    private const long GapBytes = 1 << 20;

    private readonly List<Part> _parts = [];

    /// <summary>"" for the main thread, else the sub-agent's key (<see cref="RouteKey"/>).</summary>
    public string Key => key;
    public CallPlan Plan { get; } = new();

    /// <summary>The last gitBranch and version the lines name (the mapper finds the same; the command names them ahead).</summary>
    public string GitBranch { get; private set; } = "";
    public string Version { get; private set; } = "";

    /// <summary>Adds a line of the first pass; <paramref name="end"/> is the offset after it, 0 when it is kept in memory.</summary>
    public void Add(TranscriptEntry e, string path, string fileAgent, long end)
    {
        Plan.Add(e);
        if (e.GitBranch.Length > 0) GitBranch = e.GitBranch;
        if (e.Version.Length > 0) Version = e.Version;
        Part? last = _parts.Count > 0 ? _parts[^1] : null;
        if (end == 0)
        {
            if (last is not { Held: not null } || last.Path != path) _parts.Add(last = new Part { Path = path, Held = [] });
            last.Held!.Add(e);
            return;
        }
        if (last is not { Held: null } || last.Path != path || e.Offset - last.End > GapBytes)
        {
            _parts.Add(last = new Part { Path = path, FileAgent = fileAgent, Start = e.Offset });
        }
        last.End = end;
        last.Lines++;
    }

    /// <summary>The lines again, in the order of the first pass (the second pass).</summary>
    public IEnumerable<TranscriptEntry> Entries()
    {
        foreach (Part part in _parts)
        {
            if (part.Held is not null)
            {
                foreach (TranscriptEntry e in part.Held) yield return e;
                continue;
            }
            int found = 0;
            var pacer = new GarbagePacer();
            using (var lines = new TranscriptLines(part.Path, part.Start, part.End, longLines))
            {
                while (lines.Next(out long offset, out ReadOnlyMemory<byte> line))
                {
                    pacer.Step();
                    if (TranscriptReader.Parse(line) is not { } e) continue;
                    e.Offset = offset;
                    TranscriptEntry? taken = mirror ? Mirrored(e) is { } inner && inner.AgentId == key ? inner : null
                        : RouteKey(e, part.FileAgent) == key ? e : null;
                    if (taken is null) continue;
                    found++;
                    yield return taken;
                }
            }
            // The file was rewritten between the two passes (appends only add lines past the range).
            if (found != part.Lines) throw new IOException($"'{part.Path}' changed while it was imported; import it again.");
        }
    }

    /// <summary>
    /// Which session a line belongs to: null for bookkeeping lines, "" for the main thread (lines of the main file that are
    /// not sidechains), else the sub-agent named by the line, by its file, or "sidechain".
    /// </summary>
    public static string? RouteKey(TranscriptEntry e, string fileAgent)
    {
        if (e.Type is "queue-operation" or "file-history-snapshot") return null;
        if (!e.IsSidechain && fileAgent.Length == 0) return "";
        return e.AgentId.Length > 0 ? e.AgentId : fileAgent.Length > 0 ? fileAgent : "sidechain";
    }

    /// <summary>The sub-agent line inside a parent's <c>progress/agent_progress</c> line, or null.</summary>
    public static TranscriptEntry? Mirrored(TranscriptEntry e)
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
        inner.Offset = e.Offset;
        return inner;
    }

    private sealed class Part
    {
        public required string Path { get; init; }
        public string FileAgent { get; init; } = "";
        public List<TranscriptEntry>? Held { get; init; }
        public long Start { get; init; }
        public long End { get; set; }
        public int Lines { get; set; }
    }
}
