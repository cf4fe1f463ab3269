using System.Buffers;
using System.Globalization;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Otlp.Internal;
using AgentStrace.Store;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// Writes a session's <c>events</c> list: the events of each block are rendered on the pool (both cores) and copied
/// out in file order on the writer's thread, which also hashes them. Only <c>seq</c> (the event's position in the whole
/// session) is filled in by the writer; everything else comes from the line alone.
/// </summary>
internal static class EventList
{
    // root > article_12 > logging_obligations > session > events, and root > sessions > session > article_12 > events.
    private const int Depth = 5;

    // A block this large holds a long line: it is written on the writer's thread straight into the output, so one huge
    // event is never held rendered in memory.
    private const int InlineBlockBytes = 1 << 20;

    public static void Write(PyJsonWriter w, IBufferWriter<byte> output, SessionScan scan, bool evidence, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(scan.Session.EventsPath)) return;
        var state = new WriterState();
        BlockPipeline.Run(scan.Session.EventsPath, scan.Limit, block => Rendered.Of(block, evidence), (block, rendered) =>
        {
            if (rendered is null) WriteInline(w, block, state, evidence);
            else rendered.CopyTo(w, output, state);
        }, cancellationToken: cancellationToken);
    }

    private sealed class WriterState
    {
        public int Seq;
    }

    private static void WriteInline(PyJsonWriter w, LineBlock block, WriterState state, bool evidence)
    {
        var lines = new BlockLines(block);
        while (lines.MoveNext())
        {
            ReadOnlyMemory<byte> memory = LineFields.Normalize(lines.Current);
            ReadOnlySpan<byte> line = memory.Span;
            if (LineFields.IsBlank(line)) continue;
            TraceEvent? e = EventLine.TryParse(memory, lines.LineNumber, out _, EventParseMode.Slice);
            if (e is not null) EuAiActPackage.WriteEvent(w, e, ++state.Seq, line, lines.LineNumber, evidence);
        }
    }

    /// <summary>One block's events, rendered with <c>seq</c> 0; <c>_marks</c> holds start, seq digit and end per event.</summary>
    private sealed class Rendered
    {
        private readonly PooledBuffer _buffer;
        private readonly List<int> _marks = [];

        private Rendered(int capacity) => _buffer = new PooledBuffer(capacity);

        public static Rendered? Of(LineBlock block, bool evidence)
        {
            if (block.Buffer.Length > InlineBlockBytes) return null;
            var r = new Rendered(block.Length * (evidence ? 4 : 3) + 4096);
            var w = new PyJsonWriter(r._buffer, PyJsonStyle.Indented, Depth);
            var lines = new BlockLines(block);
            while (lines.MoveNext())
            {
                ReadOnlyMemory<byte> memory = LineFields.Normalize(lines.Current);
                ReadOnlySpan<byte> line = memory.Span;
                if (LineFields.IsBlank(line)) continue;
                TraceEvent? e = EventLine.TryParse(memory, lines.LineNumber, out _, EventParseMode.Slice);
                if (e is null) continue;
                int start = r._buffer.WrittenSpan.Length;
                EuAiActPackage.WriteEvent(w, e, 0, line, lines.LineNumber, evidence);
                // The first member is "seq": 0; its digit is after the first ": ".
                int digit = start + r._buffer.WrittenSpan[start..].IndexOf(": 0"u8) + 2;
                r._marks.Add(start);
                r._marks.Add(digit);
                r._marks.Add(r._buffer.WrittenSpan.Length);
            }
            return r;
        }

        public void CopyTo(PyJsonWriter w, IBufferWriter<byte> output, WriterState state)
        {
            ReadOnlySpan<byte> bytes = _buffer.WrittenSpan;
            Span<byte> digits = stackalloc byte[12];
            for (int i = 0; i < _marks.Count; i += 3)
            {
                int start = _marks[i], digit = _marks[i + 1], end = _marks[i + 2];
                w.WriteRawValue(bytes[start..digit]);
                (++state.Seq).TryFormat(digits, out int n, default, CultureInfo.InvariantCulture);
                output.Write(digits[..n]);
                output.Write(bytes[(digit + 1)..end]);
            }
            _buffer.Dispose();
        }
    }
}
