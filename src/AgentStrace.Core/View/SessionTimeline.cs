using AgentStrace.Analysis;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Output;
using AgentStrace.Store;

namespace AgentStrace.View;

/// <summary>
/// A session read once into <see cref="TimelineRow"/>s, priced per model call with the same
/// <see cref="CostAccumulator"/> that <c>cost</c> uses, with its sub-agent sessions attached under the tool call that
/// started them.
/// </summary>
public sealed class SessionTimeline
{
    public required SessionInfo Session { get; init; }
    public required List<TimelineRow> Rows { get; init; }
    public required SessionCost Cost { get; init; }
    /// <summary>Upstream's retry count: the third and later consecutive call of the same tool.</summary>
    public long Retries { get; init; }
    public HashSet<string> FilesWritten { get; init; } = new(StringComparer.Ordinal);
    public HashSet<string> FilesRead { get; init; } = new(StringComparer.Ordinal);
    public double FirstTimestamp { get; init; } = double.NaN;
    public double LastTimestamp { get; init; } = double.NaN;
    /// <summary>Sub-agents whose starting tool call is not in this session (they are shown after its steps).</summary>
    public List<SessionTimeline> Orphans { get; } = [];

    /// <summary>Wall time: recorded duration, else end − start, else first to last event.</summary>
    public double DurationSeconds
    {
        get
        {
            SessionMeta m = Session.Meta;
            if (m.TotalDurationMs > 0) return m.TotalDurationMs / 1000;
            if (m.EndedAt is double e && e >= m.StartedAt) return e - m.StartedAt;
            return double.IsNaN(FirstTimestamp) ? 0 : LastTimestamp - FirstTimestamp;
        }
    }

    /// <summary>This session and every sub-agent below it, parent first.</summary>
    public IEnumerable<SessionTimeline> SelfAndDescendants()
    {
        yield return this;
        foreach (SessionTimeline child in Children())
        {
            foreach (SessionTimeline t in child.SelfAndDescendants()) yield return t;
        }
    }

    public IEnumerable<SessionTimeline> Children() => Rows.SelectMany(r => r.Subagents).Concat(Orphans);

    /// <summary>
    /// Reads <paramref name="root"/> and its stored descendants from <paramref name="listing"/> (sub-agents, their
    /// sub-agents, compactions) and links each under the tool call named by its <c>parent_event_id</c>.
    /// </summary>
    public static SessionTimeline BuildTree(SessionInfo root, IReadOnlyList<SessionInfo> listing, CostOptions options, Action<MalformedLine>? onMalformed,
        CancellationToken cancellationToken = default)
    {
        var children = new Dictionary<string, List<SessionInfo>>(StringComparer.Ordinal);
        foreach (SessionInfo s in listing)
        {
            string parent = s.Meta.ParentSessionId;
            if (parent.Length == 0 || parent == s.Id) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(s);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Build(root, root.Meta.StartedAt, 0, children, seen, options, onMalformed, cancellationToken);
    }

    private static SessionTimeline Build(SessionInfo session, double t0, int depth, Dictionary<string, List<SessionInfo>> children,
        HashSet<string> seen, CostOptions options, Action<MalformedLine>? onMalformed, CancellationToken cancellationToken)
    {
        seen.Add(session.Id);
        SessionTimeline timeline = Read(session, t0, depth, options, onMalformed, cancellationToken);
        if (depth >= 32 || !children.TryGetValue(session.Id, out var kids)) return timeline;
        foreach (SessionInfo child in kids.OrderBy(c => c.Meta.StartedAt))
        {
            if (seen.Contains(child.Id)) continue;
            SessionTimeline sub = Build(child, t0, depth + 1, children, seen, options, onMalformed, cancellationToken);
            TimelineRow? call = child.Meta.ParentEventId.Length > 0 ? timeline.Rows.Find(r => r.EventId == child.Meta.ParentEventId) : null;
            if (call is not null) call.Subagents.Add(sub);
            else timeline.Orphans.Add(sub);
        }
        return timeline;
    }

    /// <summary>One session's rows (no sub-agents), offsets from <paramref name="t0"/>.</summary>
    public static SessionTimeline Read(SessionInfo session, double t0, int depth, CostOptions options, Action<MalformedLine>? onMalformed,
        CancellationToken cancellationToken = default)
    {
        var rows = new List<TimelineRow>();
        var openTools = new Dictionary<string, TimelineRow>(StringComparer.Ordinal);
        var openLlm = new List<(string EventId, TimelineRow Row)>();
        var pricedRows = new List<TimelineRow>();
        var cost = new CostAccumulator(options);
        var metrics = new MetricsAccumulator(SessionMetricsMode.Default);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var read = new HashSet<string>(StringComparer.Ordinal);
        if (File.Exists(session.EventsPath))
        {
            using var reader = new EventReader(session.EventsPath) { OnMalformed = onMalformed, Cancellation = cancellationToken };
            while (reader.TryRead(out TraceEvent e))
            {
                cost.Add(e);
                metrics.Add(e);
                Add(e, session.Id, t0, depth, rows, openTools, openLlm, pricedRows, written, read);
            }
        }
        SessionCost priced = cost.Finish();
        // The accumulator prices calls in response order, then requests that never got a response: the same order
        // as pricedRows followed by the still-open requests. A whole-session estimate has no per-call figures.
        pricedRows.AddRange(openLlm.Select(o => o.Row));
        if (priced.Method != "heuristic")
        {
            for (int i = 0; i < pricedRows.Count && i < cost.PricedCalls.Count; i++)
            {
                PricedCall call = cost.PricedCalls[i];
                TimelineRow row = pricedRows[i];
                row.CostUsd = call.Usd;
                row.CostEstimated = call.Estimated;
                row.InputTokens = call.Usage.Input + call.Usage.CacheRead + call.Usage.CacheWrite5m + call.Usage.CacheWrite1h;
                row.OutputTokens = call.Usage.Output;
                row.CacheReadTokens = call.Usage.CacheRead;
                row.CacheWriteTokens = call.Usage.CacheWrite5m + call.Usage.CacheWrite1h;
            }
        }
        foreach (TimelineRow open in openTools.Values) open.Open = true;
        foreach (var (_, row) in openLlm) row.Open = true;
        return new SessionTimeline
        {
            Session = session, Rows = rows, Cost = priced, Retries = metrics.Retries, FilesWritten = written, FilesRead = read,
            FirstTimestamp = metrics.FirstTimestamp, LastTimestamp = metrics.LastTimestamp,
        };
    }

    private static readonly string[] s_keyArguments = ["command", "file_path", "notebook_path", "path", "pattern", "url", "query", "description", "prompt"];
    private static readonly string[] s_writeTools = ["Write", "Edit", "MultiEdit", "NotebookEdit", "write_file", "edit_file", "create_file"];
    private static readonly string[] s_readTools = ["Read", "read_file", "read_text_file", "NotebookRead"];

    private static void Add(TraceEvent e, string sessionId, double t0, int depth, List<TimelineRow> rows, Dictionary<string, TimelineRow> openTools,
        List<(string, TimelineRow)> openLlm, List<TimelineRow> pricedRows, HashSet<string> written, HashSet<string> read)
    {
        RawJsonObject d = e.Data;
        TimelineRow New(string detail = "", string name = "")
        {
            var row = new TimelineRow
            {
                Type = e.Type.Name(), Offset = Math.Max(0, e.Timestamp - t0), SessionId = sessionId, EventId = e.EventId, Depth = depth,
                Name = Clean(name), Detail = Clean(detail), DurationMs = e.DurationMs is > 0 ? e.DurationMs : null,
            };
            rows.Add(row);
            return row;
        }
        switch (e.Type)
        {
            case EventType.ToolCall:
                {
                    string tool = d.GetString("tool_name"u8);
                    RawJsonObject args = d.GetObject("arguments"u8);
                    TimelineRow row = New(KeyArgument(args), tool);
                    openTools[e.EventId] = row;
                    string path = First(args.GetString("file_path"u8), First(args.GetString("notebook_path"u8), args.GetString("path"u8)));
                    if (path.Length > 0 && Array.IndexOf(s_writeTools, tool) >= 0) written.Add(path);
                    else if (path.Length > 0 && Array.IndexOf(s_readTools, tool) >= 0) read.Add(path);
                    break;
                }
            case EventType.ToolResult or EventType.Error when e.ParentId.Length > 0 && openTools.Remove(e.ParentId, out TimelineRow? call):
                {
                    bool error = e.Type == EventType.Error || d.IsTruthy("is_error"u8);
                    string text = e.Type == EventType.Error ? First(d.GetString("error"u8), d.GetString("message"u8)) : ResultText(d);
                    call.Result = Clean(ResultSummary.Of(text));
                    call.IsError = error;
                    call.DurationMs = e.DurationMs is > 0 ? e.DurationMs : Math.Max(0, (e.Timestamp - t0 - call.Offset) * 1000);
                    break;
                }
            case EventType.ToolResult:
                New(ResultSummary.Of(ResultText(d)), d.GetString("tool_name"u8));
                break;
            case EventType.Error:
                {
                    TimelineRow row = New(ResultSummary.Of(First(d.GetString("error"u8), d.GetString("message"u8))), d.GetString("tool_name"u8));
                    row.IsError = true;
                    break;
                }
            case EventType.LlmRequest:
                openLlm.Add((e.EventId, New("", d.GetString("model"u8))));
                break;
            case EventType.LlmResponse:
                {
                    // Paired as the cost accumulator pairs them: by parent_id, else the oldest open request.
                    int i = e.ParentId.Length > 0 ? openLlm.FindIndex(o => o.Item1 == e.ParentId) : -1;
                    if (i < 0 && e.ParentId.Length == 0 && openLlm.Count > 0) i = 0;
                    TimelineRow row;
                    if (i >= 0)
                    {
                        row = openLlm[i].Item2;
                        openLlm.RemoveAt(i);
                        row.DurationMs = e.DurationMs is > 0 ? e.DurationMs : Math.Max(0, (e.Timestamp - t0 - row.Offset) * 1000);
                    }
                    else row = New("", d.GetString("model"u8));
                    string model = d.GetString("model"u8);
                    if (model.Length > 0) row.Name = Clean(model);
                    string stop = d.GetString("stop_reason"u8);
                    if (stop.Length > 0) row.Result = Clean(stop);
                    pricedRows.Add(row);
                    break;
                }
            case EventType.UserPrompt:
                New(d.GetString("prompt"u8));
                break;
            case EventType.AssistantResponse:
                New(d.GetString("text"u8));
                break;
            case EventType.FileWrite or EventType.FileRead:
                {
                    string path = First(d.GetString("path"u8), First(d.GetString("file_path"u8), d.GetString("uri"u8)));
                    (e.Type == EventType.FileWrite ? written : read).Add(path);
                    New(path);
                    break;
                }
            case EventType.Decision:
                New(d.GetString("choice"u8));
                break;
            case EventType.SessionStart:
                New(First(d.GetString("source"u8), d.GetString("mode"u8)), d.GetString("model"u8));
                break;
            case EventType.SessionEnd:
                New(d.GetString("reason"u8));
                break;
        }
    }

    private static string ResultText(RawJsonObject d)
    {
        if (d.TryGet("result"u8, out RawJsonValue v)) return v.ToPythonStr();
        return First(d.GetString("content_preview"u8), d.GetString("output"u8));
    }

    private static string KeyArgument(RawJsonObject args)
    {
        foreach (string key in s_keyArguments)
        {
            if (args.TryGet(System.Text.Encoding.UTF8.GetBytes(key), out RawJsonValue v) && v.IsString && v.GetString().Length > 0) return v.GetString();
        }
        var all = args.Properties();
        return all.Count > 0 ? all[0].Value.ToPythonStr() : "";
    }

    /// <summary>One line with control characters and terminal escapes removed: stored text is untrusted.</summary>
    private static string Clean(string s) => s.Length == 0 ? s : Text.OneLine(s, 400);

    private static string First(string a, string b) => a.Length > 0 ? a : b;
}
