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

    /// <summary>The <c>human_oversight_points</c> of the events, each rendered at its depth in the package.</summary>
    public List<byte[]> OversightPoints { get; } = [];

    /// <summary>Scans the session and adds its events, rendered, to <paramref name="spill"/> (then ends the session there).</summary>
    /// <param name="cancellationToken">Checked per block of lines.</param>
    public static SessionScan Run(SessionInfo session, EvidenceSpill spill, CancellationToken cancellationToken = default)
    {
        long limit = File.Exists(session.EventsPath) ? new FileInfo(session.EventsPath).Length : 0;
        var scan = new SessionScan { Session = session, Limit = limit };
        if (!File.Exists(session.EventsPath))
        {
            scan.Chain = ChainVerifier.Verify(session);
            spill.EndSession();
            return scan;
        }
        // Events are parsed, summed up and rendered on the pool while this thread walks the chain (SHA-256 of every
        // line) and spills the rendered events in order.
        var walker = new ChainWalker();
        int seq = 0;
        BlockPipeline.Run(session.EventsPath, limit, Part.Of, (block, part) =>
        {
            foreach (ChainWalker.Prepared link in part.Links) walker.Add(link);
            scan.Merge(part);
            if (part.Rendered is { } rendered) rendered.SpillTo(spill, ref seq);
            else EventList.SpillInline(block, spill, ref seq);
        }, cancellationToken: cancellationToken);
        spill.EndSession();
        scan.Chain = walker.Result(session.Id);
        return scan;
    }

    private void Merge(Part part)
    {
        EventCount += part.Events;
        UnparsedLines += part.Unparsed;
        Errors += part.Errors;
        ContextResets += part.ContextResets;
        Categories.UnionWith(part.Categories);
        Tools.UnionWith(part.Tools);
        Models.UnionWith(part.Models);
        OversightPoints.AddRange(part.Points);
    }

    /// <summary>What one block of lines adds to the scan (worked out off the writer's thread).</summary>
    private sealed class Part
    {
        public int Events, Unparsed, Errors, ContextResets;
        public readonly HashSet<string> Categories = new(StringComparer.Ordinal), Tools = new(StringComparer.Ordinal), Models = new(StringComparer.Ordinal);
        public readonly List<byte[]> Points = [];
        public readonly List<ChainWalker.Prepared> Links = [];
        public EventList.Rendered? Rendered;

        public static Part Of(LineBlock block)
        {
            var part = new Part { Rendered = EventList.Render(block) };
            // Each line's hash and link are read here, so the chain walk in file order only compares them.
            var lines = new BlockLines(block);
            while (lines.MoveNext()) part.Links.Add(ChainWalker.Prepare(lines.Current, lines.LineNumber, lines.Terminated));
            var events = new BlockEvents(block);
            int link = 0;
            while (events.MoveNext())
            {
                if (events.Event is not TraceEvent e) { part.Unparsed++; continue; }
                part.Add(e);
                // The event's line is one of the lines above (blank ones have no event): its hash is reused.
                while (part.Links[link].LineNumber != events.LineNumber) link++;
                part.Rendered?.Add(e, events.Line.Span, events.LineNumber, part.Links[link].Hash);
            }
            return part;
        }

        private void Add(TraceEvent e)
        {
            Events++;
            string? category = Category(e.Type);
            if (category is not null) Categories.Add(category);
            if (e.Type == EventType.ToolCall && ToolName(e.Data) is { Length: > 0 } tool) Tools.Add(tool);
            if (e.Type == EventType.Error) Errors++;
            if (Truthy(e.Data, "model"u8, "model_name"u8, out RawJsonValue model)) Models.Add(model.ToPythonStr());
            // Upstream lowercases json.dumps(data) and looks for both words; the dump is ASCII, so an ASCII
            // case-insensitive search of it as it is written finds the same without keeping the dump.
            if (MayMentionReset(e.Data.Raw.Span))
            {
                var dump = new CountingBufferWriter { Words = s_resetWords };
                PyJsonTranscoder.Transcode(e.Data.Raw.Span, new PyJsonWriter(dump, PyJsonStyle.Default));
                if (dump.Found(0) && dump.Found(1)) ContextResets++;
            }
            if (EuAiActPackage.RenderOversightPoint(e) is byte[] point) Points.Add(point);
        }
    }

    /// <summary>
    /// False only when the dump cannot hold both words: stored JSON that is printable ASCII without a backslash has
    /// strings that dump to the same bytes, and words cannot span tokens (quotes, separators and numbers are not
    /// letters), so the dump has a word only if the stored bytes have it. Anything else is decided on the dump.
    /// </summary>
    internal static bool MayMentionReset(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            if (b is < 0x20 or > 0x7e or (byte)'\\') return true;
        }
        return ContainsIgnoreCase(data, s_resetWords[0]) && ContainsIgnoreCase(data, s_resetWords[1]);
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerWord)
    {
        byte first = lowerWord[0];
        while (true)
        {
            int i = text.IndexOfAny(first, (byte)(first - 32));
            if (i < 0 || text.Length - i < lowerWord.Length) return false;
            int k = 1;
            while (k < lowerWord.Length && (text[i + k] | 0x20) == lowerWord[k]) k++; // letters only: | 0x20 lowercases
            if (k == lowerWord.Length) return true;
            text = text[(i + 1)..];
        }
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
