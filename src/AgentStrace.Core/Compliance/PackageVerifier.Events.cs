using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using AgentStrace.Analysis;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Compliance;

public sealed partial class PackageVerifier
{
    private static readonly int[] s_recomputed =
    [
        EventFields.Timestamp, EventFields.EventType, EventFields.EventId, EventFields.ToolName, EventFields.InputSummary,
        EventFields.OutputSummary, EventFields.DurationMs, EventFields.CostUsd, EventFields.PrevHash,
    ];

    private readonly EventFields.Builder _fields = new();

    private void ReadArticle12(string sessionId)
    {
        var chain = new ChainWalker();
        bool? declaredValid = null;
        string declaredRoot = "", declaredBrokenAt = "";
        long? declaredCount = null, unparsed = null;
        long count = 0;
        ForEachMember(name =>
        {
            if (name == "trace_integrity")
            {
                ForEachMember(field =>
                {
                    switch (field)
                    {
                        case "hash_chain_valid": declaredValid = _t.TokenType == JsonTokenType.True ? true : _t.TokenType == JsonTokenType.False ? false : null; break;
                        case "root_hash" when _t.TokenType == JsonTokenType.String: declaredRoot = Str(); break;
                        case "broken_at": declaredBrokenAt = System.Text.Encoding.UTF8.GetString(_t.RawToken); break;
                        case "event_count" when _t.TokenType == JsonTokenType.Number: declaredCount = long.TryParse(_t.ValueSpan, out long c) ? c : -1; break;
                        case "unparsed_lines" when _t.TokenType == JsonTokenType.Number: unparsed = long.TryParse(_t.ValueSpan, out long u) ? u : -1; break;
                        default: _t.SkipValue(); break;
                    }
                });
            }
            else if (name == "events")
            {
                // This thread reads the tokens; each batch of events is checked on the pool; the checks that depend on
                // the order (seq, links, line numbers, the chain) run here as the batches come back, in order.
                var checks = new EventBatches(this, sessionId, chain);
                try
                {
                    ForEachElement(() =>
                    {
                        count++;
                        _r.CheckedEvents++;
                        var fields = ReadEventFields(out ReadOnlyMemory<byte>? raw, out RawForm form);
                        checks.Add(new EventRecord(fields, raw, form));
                    });
                }
                finally
                {
                    // Also when the file ends early: the events read whole are reported before the JSON error.
                    checks.Finish();
                }
            }
            else
            {
                _t.SkipValue();
            }
        });

        if (declaredCount != count) Problem(sessionId, null, "", "trace_integrity.event_count", $"says {declaredCount} but the package holds {count} events");
        if (unparsed is null) { Problem(sessionId, null, "", "trace_integrity.unparsed_lines", "is missing (not written by this tool, or removed)"); return; }
        if (unparsed != 0) return; // the store had lines that are not events: the chain over events alone is not the stored chain
        // A session without an events file is reported broken at 0, as upstream's verify_chain reports it; with no events
        // there is nothing to recompute.
        if (count == 0 && declaredValid == false && declaredBrokenAt == "0") return;
        ChainResult recomputed = chain.Result(sessionId);
        if (declaredRoot != recomputed.RootHash)
        {
            Problem(sessionId, null, "", "trace_integrity.root_hash", $"is {declaredRoot} but the last raw line hashes to {recomputed.RootHash}");
        }
        if (declaredValid != recomputed.Ok)
        {
            Problem(sessionId, null, "", "trace_integrity.hash_chain_valid", $"says {Bool(declaredValid)} but the raw lines give {Bool(recomputed.Ok)}");
        }
        string brokenAt = recomputed.BrokenAt?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
        if (declaredBrokenAt != brokenAt) Problem(sessionId, null, "", "trace_integrity.broken_at", $"says {declaredBrokenAt} but the raw lines give {brokenAt}");
    }

    // The checked scalar members as their JSON text; raw_line decoded to the stored bytes.
    private EventFields ReadEventFields(out ReadOnlyMemory<byte>? raw, out RawForm rawForm)
    {
        EventFields.Builder fields = _fields;
        fields.Clear();
        raw = null;
        rawForm = RawForm.Exact;
        // ForEachMember written out: this runs for every event, without a closure or a call per member.
        if (_t.TokenType != JsonTokenType.StartObject) { _t.SkipValue(); return fields.Build(); }
        while (_t.Read() && _t.TokenType == JsonTokenType.PropertyName)
        {
            string name = Name();
            bool rawLine = name == "raw_line";
            _t.StreamLongString = rawLine;
            _t.Read();
            _t.StreamLongString = false;
            if (rawLine && _t.TokenType == JsonTokenType.String)
            {
                // A huge value was decoded as it was read; a plain value is the line's bytes; an escaped one is decoded
                // by the worker that checks it.
                raw = _t.LongString is { } decoded ? decoded : _t.ValueSpan.ToArray();
                rawForm = _t.LongString is not null ? RawForm.Exact : _t.ValueIsEscaped ? RawForm.Escaped : RawForm.Text;
            }
            else if (rawLine && _t.TokenType == JsonTokenType.StartObject)
            {
                ReadOnlyMemory<byte>? line = null;
                bool found = false;
                ForEachMember(k =>
                {
                    if (k == "base64" && _t.TokenType == JsonTokenType.String) (line, found) = (_t.LongString is { } text ? Base64InPlace(text) : TryBase64(Str()), true);
                    else _t.SkipValue();
                }, streamed: "base64");
                // An object without a base64 member leaves what an earlier raw_line gave.
                if (found) (raw, rawForm) = (line, RawForm.Exact);
            }
            else if (EventFields.SlotOf(name) is var slot and >= 0)
            {
                if (_t.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    fields.Set(slot, EventFields.Structured);
                    _t.SkipValue();
                }
                else
                {
                    fields.Set(slot, _t.RawToken);
                }
            }
            else
            {
                _t.SkipValue();
            }
        }
        return fields.Build();
    }

    /// <summary>What the raw line alone decides about one event (run on the pool): its identity and the problems of
    /// its hash, its parse and its recomputed fields, in the order they are reported.</summary>
    private static EventCheck CheckAlone(string sessionId, EventRecord record)
    {
        EventFields f = record.Fields;
        long? seq = f.Has(EventFields.Seq) && long.TryParse(f[EventFields.Seq], out long n) ? n : null;
        ReadOnlySpan<byte> id = f[EventFields.EventId];
        string eventId = id.Length >= 2 ? JsonText.Unescape(id[1..^1], true) : "";
        var check = new EventCheck
        {
            Seq = seq, EventId = eventId, PrevHash = StringField(f, EventFields.PrevHash), LineHash = StringField(f, EventFields.LineHash),
            LineNumber = f.Has(EventFields.LineNumber) && long.TryParse(f[EventFields.LineNumber], out long l) ? l : 0,
            // The line's bytes: decoded base64 and streamed values as they are (a base64 line is not UTF-8, by design).
            Raw = record.Raw is not { } r ? null
                : record.Form == RawForm.Escaped ? Unescaped(r)
                : record.Form == RawForm.Text && !System.Text.Unicode.Utf8.IsValid(r.Span) ? Utf8Bytes(JsonText.Unescape(r.Span, false)) : r,
        };
        if (check.Raw is not { } memory) return check;
        ReadOnlySpan<byte> raw = memory.Span;
        // The chain walker reuses this hash when the line needs no normalising (the usual case).
        check.Hash = new byte[32];
        Sha256.PlatformHash(raw, check.Hash);
        check.Link = ChainWalker.Prepare(memory, check.LineNumber, knownHash: check.Hash);
        string actual = Convert.ToHexStringLower(check.Hash);
        if (actual != check.LineHash)
        {
            check.Add(sessionId, "raw_line", $"hashes to {actual}, not to line_hash {check.LineHash}: the stored line or its hash was edited");
        }
        TraceEvent? e = EventLine.TryParse(memory, check.LineNumber, out string? error, EventParseMode.Slice);
        if (e is null)
        {
            check.Add(sessionId, "raw_line", $"is not a valid event ({error})");
            return check;
        }
        foreach (int slot in s_recomputed)
        {
            string name = EventFields.Names[slot];
            ReadOnlySpan<byte> expected = Expected(slot, e, raw);
            if (!f.Has(slot)) check.Add(sessionId, name, "is missing");
            else if (!expected.SequenceEqual(f[slot]))
            {
                check.Add(sessionId, name, $"is {Clip(f.Text(slot))} but the raw line gives {Clip(System.Text.Encoding.UTF8.GetString(expected))}");
            }
        }
        return check;
    }

    /// <summary>The checks that depend on the events before this one, then the event's own problems.</summary>
    private void CheckInOrder(string sessionId, EventCheck c, ChainWalker chain, ref long lastSeq, ref long lastLine, ref string lastLineHash)
    {
        long? seq = c.Seq;
        if (seq != lastSeq + 1)
        {
            Problem(sessionId, seq, c.EventId, "seq", $"follows seq {lastSeq}: an event was removed, inserted or reordered");
        }
        lastSeq = seq ?? lastSeq + 1;
        // Upstream's check (its verify command).
        if (lastLineHash.Length > 0 && c.PrevHash.Length > 0 && c.PrevHash != lastLineHash)
        {
            Problem(sessionId, seq, c.EventId, "prev_hash", "does not match the previous event's line_hash (broken link)", link: true);
        }
        lastLineHash = c.LineHash;
        if (c.Raw is not { } raw)
        {
            Problem(sessionId, seq, c.EventId, "raw_line", "is missing, so the line hash cannot be recomputed");
            return;
        }
        if (c.LineNumber <= lastLine) Problem(sessionId, seq, c.EventId, "line_number", $"is {c.LineNumber}, not after line {lastLine}: lines were reordered");
        lastLine = Math.Max(lastLine, c.LineNumber);
        chain.Add(c.Link!);
        if (c.Problems is not null)
        {
            foreach (PackageProblem p in c.Problems) _r.Add(p);
        }
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_expected;
    [ThreadStatic] private static PyJsonWriter? t_expectedWriter;

    /// <summary>The field's JSON text as the exporter writes it (ASCII), in a buffer reused per thread: valid until the next call.</summary>
    private static ReadOnlySpan<byte> Expected(int slot, TraceEvent e, ReadOnlySpan<byte> raw)
    {
        ArrayBufferWriter<byte>? buffer = t_expected;
        if (buffer is null)
        {
            t_expected = buffer = new ArrayBufferWriter<byte>(256);
            t_expectedWriter = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        }
        buffer.ResetWrittenCount();
        // One scalar value per call leaves the writer as it was made: it is reused with its buffer.
        PyJsonWriter w = t_expectedWriter!;
        bool output = HeuristicUsage.IsOutput(e.Type);
        switch (slot)
        {
            case EventFields.Timestamp: if (PyTime.Iso(e.Timestamp) is string iso) w.WriteStringValue(iso); else w.WriteNullValue(); break;
            case EventFields.EventType: w.WriteStringValue(e.Type.Name()); break;
            case EventFields.EventId: w.WriteStringValue(e.EventId); break;
            case EventFields.ToolName: w.WriteStringValue(SessionScan.ToolName(e.Data)); break;
            case EventFields.InputSummary: w.WriteStringValue(output ? "" : Summary.Of(e.Data)); break;
            case EventFields.OutputSummary: w.WriteStringValue(output ? Summary.Of(e.Data) : ""); break;
            case EventFields.DurationMs: EuAiActPackage.WriteDuration(w, raw); break;
            case EventFields.CostUsd: w.WriteNumberValue(PyFloat.Round(HeuristicUsage.Dollars(e), 8)); break;
            default: w.WriteStringValue(e.PrevHash); break;
        }
        if (buffer.Capacity > 1 << 16) t_expected = null; // do not keep a large buffer for the thread's next event
        return buffer.WrittenSpan;
    }

    // Straight to UTF-8 (no string in between); a lone surrogate escape takes the UTF-16 path, which turns it into U+FFFD.
    private static ReadOnlyMemory<byte> Unescaped(ReadOnlyMemory<byte> escaped) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(escaped, out ArraySegment<byte> text) && JsonText.TryUtf8Head(text, true, int.MaxValue, out ArraySegment<byte> utf8)
            ? utf8
            : Utf8Bytes(JsonText.Unescape(escaped.Span, true));

    private static string StringField(EventFields f, int slot)
    {
        ReadOnlySpan<byte> v = f[slot];
        return v.Length >= 2 && v[0] == (byte)'"' ? JsonText.Unescape(v[1..^1], true) : "";
    }

    private static byte[]? TryBase64(string s)
    {
        try { return Convert.FromBase64String(s); } catch (FormatException) { return null; }
    }

    // A huge base64 value is decoded where it lies (the text is never held twice); text that strict decoder would
    // refuse (whitespace, which Convert accepts) is checked first and takes the ordinary path.
    private static ReadOnlyMemory<byte>? Base64InPlace(ArraySegment<byte> text)
    {
        if (text.AsSpan().IndexOfAny(" \t\r\n"u8) < 0 && Base64.IsValid(text.AsSpan())
            && Base64.DecodeFromUtf8InPlace(text.AsSpan(), out int written) == OperationStatus.Done)
        {
            return new ReadOnlyMemory<byte>(text.Array, text.Offset, written);
        }
        byte[]? bytes = TryBase64(System.Text.Encoding.ASCII.GetString(text));
        return bytes is null ? null : bytes;
    }

    private static string Bool(bool? b) => b switch { true => "true", false => "false", _ => "(missing)" };

    private static string Clip(string s) => s.Length <= 80 ? s : s[..77] + "...";

    /// <summary>What the bytes read for raw_line are: the line itself, a string token's text, or its escaped text.</summary>
    private enum RawForm { Exact, Text, Escaped }

    private sealed record EventRecord(EventFields Fields, ReadOnlyMemory<byte>? Raw, RawForm Form);

    private sealed class EventCheck
    {
        public long? Seq;
        public long LineNumber;
        public string EventId = "", PrevHash = "", LineHash = "";
        public ReadOnlyMemory<byte>? Raw;
        /// <summary>SHA-256 of <see cref="Raw"/>, or null when there is no raw line.</summary>
        public byte[]? Hash;
        /// <summary>The line's hash and link for the chain walk, read on the pool.</summary>
        public ChainWalker.Prepared? Link;
        public List<PackageProblem>? Problems;

        public void Add(string session, string field, string message) => (Problems ??= []).Add(new PackageProblem(session, Seq, EventId, field, message, false));
    }

    /// <summary>Events gathered into batches checked on the pool; results are taken back in order, a few batches behind.</summary>
    private sealed class EventBatches(PackageVerifier verifier, string sessionId, ChainWalker chain)
    {
        private const int BatchEvents = 128, BatchBytes = 2 << 20, InFlight = 3;
        private List<EventRecord> _batch = new(BatchEvents);
        private long _batchBytes, _lastSeq, _lastLine;
        private string _lastLineHash = "";
        private readonly Queue<Task<EventCheck[]>> _pending = new();

        public void Add(EventRecord record)
        {
            _batch.Add(record);
            _batchBytes += record.Raw?.Length ?? 0;
            if (_batch.Count >= BatchEvents || _batchBytes >= BatchBytes) Dispatch();
        }

        public void Finish()
        {
            Dispatch();
            while (_pending.Count > 0) Merge(_pending.Dequeue());
        }

        private void Dispatch()
        {
            if (_batch.Count == 0) return;
            List<EventRecord> batch = _batch;
            _batch = new List<EventRecord>(BatchEvents);
            _batchBytes = 0;
            _pending.Enqueue(Task.Run(() =>
            {
                var checks = new EventCheck[batch.Count];
                for (int i = 0; i < checks.Length; i++) checks[i] = CheckAlone(sessionId, batch[i]);
                return checks;
            }));
            while (_pending.Count > InFlight) Merge(_pending.Dequeue());
        }

        private void Merge(Task<EventCheck[]> done)
        {
            foreach (EventCheck c in done.GetAwaiter().GetResult()) verifier.CheckInOrder(sessionId, c, chain, ref _lastSeq, ref _lastLine, ref _lastLineHash);
        }
    }
}
