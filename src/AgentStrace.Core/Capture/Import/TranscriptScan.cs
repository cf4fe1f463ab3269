using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import;

/// <summary>
/// The first pass over a transcript and its <c>subagents/*.jsonl</c>: routes every line to its session
/// (<see cref="TranscriptStream"/>) and plans each session's API requests, keeping the lines only of files up to
/// <c>holdBytes</c> (a small file is not read twice). Sub-agent lines come from the main file and from their own files,
/// in that order; a sub-agent seen only through the parent's mirrored progress lines gets its lines from the mirror
/// (with its own file, the mirror is ignored).
/// </summary>
public sealed class TranscriptScan
{
    public TranscriptStream? Main { get; private set; }

    /// <summary>Sub-agent streams by key.</summary>
    public Dictionary<string, TranscriptStream> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>Sub-agent id → the Task/Agent tool_use id its <c>.meta.json</c> names.</summary>
    public Dictionary<string, string> SpawnsFromMeta { get; } = new(StringComparer.Ordinal);

    /// <summary>The first sessionId of the main file's lines, else of the sub-agent files' lines, or "".</summary>
    public string SessionId { get; private set; } = "";

    private readonly Dictionary<string, TranscriptStream> _mirrors = new(StringComparer.Ordinal);
    private readonly LongLineBuffer _longLines = new();

    public static TranscriptScan Run(string mainFile, bool hasMain, string subDir, long holdBytes, double unsettledAfter)
    {
        var scan = new TranscriptScan();
        if (hasMain)
        {
            scan.Main = new TranscriptStream("", mirror: false, scan._longLines);
            scan.ScanFile(mainFile, "", holdBytes, isMain: true);
        }
        if (Directory.Exists(subDir))
        {
            foreach (string file in Directory.GetFiles(subDir, "*.jsonl").Order(StringComparer.Ordinal))
            {
                string fileAgent = Path.GetFileNameWithoutExtension(file);
                fileAgent = fileAgent.StartsWith("agent-", StringComparison.Ordinal) ? fileAgent["agent-".Length..] : fileAgent;
                scan.ScanFile(file, fileAgent, holdBytes, isMain: false);
                scan.ReadSpawnMeta(Path.ChangeExtension(file, ".meta.json"), fileAgent);
            }
        }
        foreach (var (agent, mirror) in scan._mirrors) scan.Children.TryAdd(agent, mirror);
        scan.Main?.Plan.Finish(unsettledAfter);
        foreach (TranscriptStream child in scan.Children.Values) child.Plan.Finish(unsettledAfter);
        return scan;
    }

    private void ScanFile(string path, string fileAgent, long holdBytes, bool isMain)
    {
        long length;
        using (FileStream file = SafeFile.OpenRead(path)) length = file.Length;
        if (length <= holdBytes)
        {
            foreach (TranscriptEntry e in TranscriptReader.ReadFile(path, 0, out _, out _)) Route(e, path, fileAgent, 0, isMain);
            return;
        }
        var pacer = new GarbagePacer();
        using var lines = new TranscriptLines(path, 0, length, _longLines);
        while (lines.Next(out long offset, out ReadOnlyMemory<byte> line))
        {
            pacer.Step();
            if (TranscriptReader.Parse(line) is not { } e) continue;
            e.Offset = offset;
            Route(e, path, fileAgent, lines.End, isMain);
        }
    }

    private void Route(TranscriptEntry e, string path, string fileAgent, long end, bool isMain)
    {
        if (SessionId.Length == 0 && e.SessionId.Length > 0) SessionId = e.SessionId;
        if (TranscriptStream.RouteKey(e, fileAgent) is { } key)
        {
            TranscriptStream? stream = key.Length == 0 ? Main : Children.TryGetValue(key, out TranscriptStream? s) ? s : Children[key] = new TranscriptStream(key, mirror: false, _longLines);
            stream?.Add(e, path, fileAgent, end);
        }
        if (isMain && TranscriptStream.Mirrored(e) is { } inner)
        {
            if (!_mirrors.TryGetValue(inner.AgentId, out TranscriptStream? m)) _mirrors[inner.AgentId] = m = new TranscriptStream(inner.AgentId, mirror: true, _longLines);
            m.Add(inner, path, "", end);
        }
    }

    private void ReadSpawnMeta(string path, string agentId)
    {
        try
        {
            if (SafeFile.TryReadAllBytes(path, 1 << 20) is not { } bytes) return;
            string toolUse = new RawJsonObject(bytes).GetString("toolUseId"u8);
            if (toolUse.Length > 0) SpawnsFromMeta[agentId] = toolUse;
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException) { }
    }
}
