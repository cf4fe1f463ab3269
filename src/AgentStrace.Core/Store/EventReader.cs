using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>
/// Streams the events of an <c>events.ndjson</c> file one at a time. Blank lines are ignored; malformed lines are
/// reported through <see cref="OnMalformed"/> and skipped.
/// </summary>
public sealed class EventReader : IDisposable
{
    private readonly LineReader _lines;
    private readonly string _path;

    public EventReader(string path)
    {
        _path = path;
        _lines = LineReader.Open(path);
    }

    public Action<MalformedLine>? OnMalformed { get; set; }

    public int MalformedCount { get; private set; }

    /// <summary>When given, lines whose type (peeked without parsing) it rejects are skipped unparsed and unreported:
    /// for a pass that needs a few event types only. Asked per line, so the answer may change as the pass learns.</summary>
    public Func<EventType, bool>? Only { get; set; }

    /// <summary>How much of each line is materialised (<see cref="EventParseMode.Full"/> or
    /// <see cref="EventParseMode.Indexed"/>: the events outlive the line buffer, so their data is always copied).</summary>
    public EventParseMode Mode { get; init; } = EventParseMode.Full;

    /// <summary>Checked every 1,024 lines: a cancelled read throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; init; }

    public IEnumerable<TraceEvent> ReadAll()
    {
        while (TryRead(out TraceEvent? e)) yield return e;
    }

    public bool TryRead(out TraceEvent e)
    {
        while (_lines.MoveNext())
        {
            if ((_lines.LineNumber & 1023) == 0) Cancellation.ThrowIfCancellationRequested();
            ReadOnlySpan<byte> line = _lines.Current.Span.TrimEnd("\r"u8);
            if (line.Trim(" \t"u8).IsEmpty) continue;
            if (Only is { } only && EventLine.TryPeekType(line, out EventType peeked) && !only(peeked)) continue;
            string? error;
            TraceEvent? parsed = Mode == EventParseMode.Indexed
                ? EventLine.TryParse(_lines.Current[..line.Length], _lines.LineNumber, out error, EventParseMode.Indexed)
                : EventLine.TryParse(line, _lines.LineNumber, out error);
            if (parsed is null)
            {
                MalformedCount++;
                string reason = _lines.CurrentTerminated ? error! : error + "; the file ends mid-line";
                OnMalformed?.Invoke(new MalformedLine(_path, _lines.LineNumber, reason));
                continue;
            }
            e = parsed;
            return true;
        }
        e = null!;
        return false;
    }

    /// <summary>Reads a whole file into a list (for small sessions and tests).</summary>
    public static List<TraceEvent> ReadFile(string path, Action<MalformedLine>? onMalformed = null)
    {
        if (!File.Exists(path)) return [];
        using var reader = new EventReader(path) { OnMalformed = onMalformed };
        return reader.ReadAll().ToList();
    }

    public void Dispose() => _lines.Dispose();
}
