using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Compliance.Internal;

internal delegate void EventLineHandler(TraceEvent e, ReadOnlySpan<byte> line, long lineNumber);

/// <summary>Streams a session's events together with the exact line each came from (line i ↔ event i, always).</summary>
internal static class EventLines
{
    /// <summary>Calls <paramref name="onEvent"/> per event line and <paramref name="onLine"/> (when given) per non-blank line; returns the count of non-blank lines that are not events.</summary>
    /// <param name="cancellationToken">Checked every 4,096 lines.</param>
    public static int ForEach(string eventsPath, long limit, EventLineHandler onEvent, ChainWalker? onLine = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(eventsPath)) return 0;
        int unparsed = 0;
        using LineReader lines = ChainVerifier.OpenLines(eventsPath, limit);
        while (lines.MoveNext())
        {
            if ((lines.LineNumber & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<byte> raw = lines.Current.Span;
            onLine?.Add(raw, lines.LineNumber, lines.CurrentTerminated);
            ReadOnlySpan<byte> line = LineFields.Normalize(raw);
            if (LineFields.IsBlank(line)) continue;
            TraceEvent? e = EventLine.TryParse(line, lines.LineNumber, out _);
            if (e is null) { unparsed++; continue; }
            onEvent(e, line, lines.LineNumber);
        }
        return unparsed;
    }
}
