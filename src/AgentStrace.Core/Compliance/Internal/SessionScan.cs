using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// The first pass over one session for the package: chain result and the aggregates (categories, tools, models,
/// limitations) that upstream writes before or beside the event list. The file length is snapshotted here and
/// every later pass reads only that prefix, so a live session yields one consistent picture.
/// </summary>
internal sealed class SessionScan
{
    public required SessionInfo Session { get; init; }
    public long Limit { get; private init; }
    public ChainResult Chain { get; private set; } = null!;
    public int EventCount { get; private set; }
    public int UnparsedLines { get; private set; }
    public int Errors { get; private set; }
    public int ContextResets { get; private set; }
    public SortedSet<string> Categories { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Tools { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Models { get; } = new(StringComparer.Ordinal);
    public bool WatchdogPostmortem => File.Exists(Path.Combine(Session.Directory, "watchdog-postmortem.json"));
    public bool CrashPostmortem => File.Exists(Path.Combine(Session.Directory, "postmortem.md"));

    public static SessionScan Run(SessionInfo session, CancellationToken cancellationToken = default)
    {
        long limit = File.Exists(session.EventsPath) ? new FileInfo(session.EventsPath).Length : 0;
        var scan = new SessionScan { Session = session, Limit = limit };
        var walker = new ChainWalker();
        scan.UnparsedLines = EventLines.ForEach(session.EventsPath, limit, (e, _, _) => scan.Add(e), walker, cancellationToken);
        scan.Chain = File.Exists(session.EventsPath) ? walker.Result(session.Id) : ChainVerifier.Verify(session);
        return scan;
    }

    private void Add(TraceEvent e)
    {
        EventCount++;
        string? category = Category(e.Type);
        if (category is not null) Categories.Add(category);
        if (e.Type == EventType.ToolCall && ToolName(e.Data) is { Length: > 0 } tool) Tools.Add(tool);
        if (e.Type == EventType.Error) Errors++;
        if (Truthy(e.Data, "model"u8, "model_name"u8, out RawJsonValue model)) Models.Add(model.ToPythonStr());
        // Upstream lowercases json.dumps(data) and looks for both words; the dump is ASCII, so an ASCII
        // case-insensitive search of it as it is written finds the same without keeping the dump.
        var dump = new CountingBufferWriter { Words = s_resetWords };
        PyJsonTranscoder.Transcode(e.Data.Raw.Span, new PyJsonWriter(dump, PyJsonStyle.Default));
        if (dump.Found(0) && dump.Found(1)) ContextResets++;
    }

    private static readonly byte[][] s_resetWords = ["context"u8.ToArray(), "reset"u8.ToArray()];

    public static string? Category(EventType t) => t switch
    {
        EventType.LlmRequest or EventType.UserPrompt => "prompt_content",
        EventType.LlmResponse or EventType.AssistantResponse => "model_output",
        EventType.ToolCall or EventType.ToolResult => "tool_io",
        EventType.FileRead or EventType.FileWrite => "file_content",
        EventType.Error => "error_log",
        _ => null,
    };

    /// <summary><c>str(data.get("tool_name") or data.get("tool") or "")</c>.</summary>
    public static string ToolName(RawJsonObject data) => Truthy(data, "tool_name"u8, "tool"u8, out RawJsonValue v) ? v.ToPythonStr() : "";

    private static bool Truthy(RawJsonObject data, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, out RawJsonValue value)
    {
        if (data.TryGet(first, out value) && value.IsTruthy) return true;
        return data.TryGet(second, out value) && value.IsTruthy;
    }
}
