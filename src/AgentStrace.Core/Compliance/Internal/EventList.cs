using System.Globalization;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Otlp.Internal;
using AgentStrace.Store;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// A session's <c>events</c> lists. The scan pass renders each block's events on the pool (both cores) in their
/// evidence form and spills them in file order on the writer's thread, filling in <c>seq</c> (the event's position in
/// the whole session) there; both lists are then written from the spill (see <see cref="EvidenceSpill"/>).
/// </summary>
internal static class EventList
{
    // root > article_12 > logging_obligations > session > events, and root > sessions > session > article_12 > events.
    private const int Depth = 5;

    // A block this large holds a long line: it is rendered on the writer's thread straight into the spill, so one huge
    // event is never held rendered in memory.
    private const int InlineBlockBytes = 1 << 20;

    /// <summary>Renders the block's events on the pool, or null when the block is to be rendered inline.</summary>
    public static Rendered? Render(LineBlock block) => block.Buffer.Length > InlineBlockBytes ? null : new Rendered(block.Length * 4 + 4096);

    /// <summary>Renders a long line's block straight into the spill (on the writer's thread).</summary>
    public static void SpillInline(LineBlock block, EvidenceSpill spill, ref int seq)
    {
        var w = new PyJsonWriter(spill, PyJsonStyle.Indented, Depth);
        var events = new BlockEvents(block);
        while (events.MoveNext())
        {
            if (events.Event is not TraceEvent e) continue;
            long at = spill.BeginLong();
            EuAiActPackage.WriteEventMembers(w, e, ++seq, events.Line.Span);
            long cut = spill.Position;
            EuAiActPackage.WriteEvidenceMembers(w, events.Line.Span, events.LineNumber);
            long close = spill.Position;
            w.WriteEndObject();
            spill.EndLong(at, cut, close);
        }
    }

    /// <summary>One block's events in their evidence form, rendered with <c>seq</c> 0; <c>_marks</c> holds start, seq
    /// digit, start of the evidence members, start of the closing line and end per event.</summary>
    internal sealed class Rendered
    {
        private readonly PooledBuffer _buffer;
        private readonly PyJsonWriter _w;
        private readonly List<int> _marks = [];

        public Rendered(int capacity)
        {
            _buffer = new PooledBuffer(capacity);
            _w = new PyJsonWriter(_buffer, PyJsonStyle.Indented, Depth);
        }

        public void Add(TraceEvent e, ReadOnlySpan<byte> line, long lineNumber, ReadOnlySpan<byte> lineHash)
        {
            int start = _buffer.WrittenSpan.Length;
            EuAiActPackage.WriteEventMembers(_w, e, 0, line, lineHash);
            // The first member is "seq": 0; its digit is after the first ": ".
            int digit = start + _buffer.WrittenSpan[start..].IndexOf(": 0"u8) + 2;
            int cut = _buffer.WrittenSpan.Length;
            EuAiActPackage.WriteEvidenceMembers(_w, line, lineNumber);
            int close = _buffer.WrittenSpan.Length;
            _w.WriteEndObject();
            _marks.Add(start);
            _marks.Add(digit);
            _marks.Add(cut);
            _marks.Add(close);
            _marks.Add(_buffer.WrittenSpan.Length);
        }

        public void SpillTo(EvidenceSpill spill, ref int seq)
        {
            ReadOnlySpan<byte> bytes = _buffer.WrittenSpan;
            Span<byte> digits = stackalloc byte[12];
            for (int i = 0; i < _marks.Count; i += 5)
            {
                int start = _marks[i], digit = _marks[i + 1], cut = _marks[i + 2], close = _marks[i + 3], end = _marks[i + 4];
                (++seq).TryFormat(digits, out int n, default, CultureInfo.InvariantCulture);
                int shift = n - 1 - start; // offsets in the record: the digit 0 replaced by n digits
                spill.Add(bytes[start..digit], digits[..n], bytes[(digit + 1)..cut], bytes[cut..end], cut + shift, close + shift);
            }
            _buffer.Dispose();
        }
    }
}
