using System.Buffers;
using System.Text.Json;
using AgentStrace.Analysis;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Compliance;

public sealed partial class PackageVerifier
{
    private static readonly string[] s_recomputed =
        ["timestamp", "event_type", "event_id", "tool_name", "input_summary", "output_summary", "duration_ms", "cost_usd", "prev_hash"];

    private void ReadArticle12(string sessionId)
    {
        var chain = new ChainWalker();
        bool? declaredValid = null;
        string declaredRoot = "", declaredBrokenAt = "";
        long? declaredCount = null, unparsed = null;
        long count = 0, lastSeq = 0, lastLine = 0;
        string lastLineHash = "";
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
                ForEachElement(() =>
                {
                    count++;
                    _r.CheckedEvents++;
                    var fields = ReadEventFields(out byte[]? raw);
                    CheckEvent(sessionId, fields, raw, chain, ref lastSeq, ref lastLine, ref lastLineHash);
                });
            }
            else
            {
                _t.SkipValue();
            }
        });

        if (declaredCount != count) Problem(sessionId, null, "", "trace_integrity.event_count", $"says {declaredCount} but the package holds {count} events");
        if (unparsed is null) { Problem(sessionId, null, "", "trace_integrity.unparsed_lines", "is missing (not written by this tool, or removed)"); return; }
        if (unparsed != 0) return; // the store had lines that are not events: the chain over events alone is not the stored chain
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

    // Scalar members as their JSON text; raw_line decoded to the stored bytes.
    private Dictionary<string, string> ReadEventFields(out byte[]? raw)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        byte[]? line = null;
        ForEachMember(name =>
        {
            if (name == "raw_line" && _t.TokenType == JsonTokenType.String)
            {
                line = Utf8Bytes(Str());
            }
            else if (name == "raw_line" && _t.TokenType == JsonTokenType.StartObject)
            {
                ForEachMember(k =>
                {
                    if (k == "base64" && _t.TokenType == JsonTokenType.String) line = TryBase64(Str());
                    else _t.SkipValue();
                });
            }
            else if (_t.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                fields[name] = "<structured>";
                _t.SkipValue();
            }
            else
            {
                fields[name] = System.Text.Encoding.UTF8.GetString(_t.RawToken);
            }
        });
        raw = line;
        return fields;
    }

    private void CheckEvent(string sessionId, Dictionary<string, string> f, byte[]? raw, ChainWalker chain,
        ref long lastSeq, ref long lastLine, ref string lastLineHash)
    {
        long? seq = f.TryGetValue("seq", out string? s) && long.TryParse(s, out long n) ? n : null;
        string eventId = f.TryGetValue("event_id", out string? id) && id.Length >= 2 ? JsonText.Unescape(System.Text.Encoding.UTF8.GetBytes(id[1..^1]), true) : "";
        if (seq != lastSeq + 1)
        {
            Problem(sessionId, seq, eventId, "seq", $"follows seq {lastSeq}: an event was removed, inserted or reordered");
        }
        lastSeq = seq ?? lastSeq + 1;
        string prevHash = StringField(f, "prev_hash"), lineHash = StringField(f, "line_hash");
        // Upstream's check (spec §5.3).
        if (lastLineHash.Length > 0 && prevHash.Length > 0 && prevHash != lastLineHash)
        {
            Problem(sessionId, seq, eventId, "prev_hash", "does not match the previous event's line_hash (broken link)", link: true);
        }
        lastLineHash = lineHash;
        if (raw is null)
        {
            Problem(sessionId, seq, eventId, "raw_line", "is missing, so the line hash cannot be recomputed");
            return;
        }
        long lineNumber = f.TryGetValue("line_number", out string? ln) && long.TryParse(ln, out long l) ? l : 0;
        if (lineNumber <= lastLine) Problem(sessionId, seq, eventId, "line_number", $"is {lineNumber}, not after line {lastLine}: lines were reordered");
        lastLine = Math.Max(lastLine, lineNumber);
        chain.Add(raw, lineNumber);
        string actual = Ids.Sha256Hex(raw);
        if (actual != lineHash)
        {
            Problem(sessionId, seq, eventId, "raw_line", $"hashes to {actual}, not to line_hash {lineHash}: the stored line or its hash was edited");
        }
        TraceEvent? e = EventLine.TryParse(raw, lineNumber, out string? error);
        if (e is null)
        {
            Problem(sessionId, seq, eventId, "raw_line", $"is not a valid event ({error})");
            return;
        }
        foreach (string name in s_recomputed)
        {
            string expected = Expected(name, e, raw);
            if (!f.TryGetValue(name, out string? got)) Problem(sessionId, seq, eventId, name, "is missing");
            else if (got != expected) Problem(sessionId, seq, eventId, name, $"is {Clip(got)} but the raw line gives {Clip(expected)}");
        }
    }

    private static string Expected(string name, TraceEvent e, ReadOnlySpan<byte> raw)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        bool output = HeuristicUsage.IsOutput(e.Type);
        switch (name)
        {
            case "timestamp": if (PyTime.Iso(e.Timestamp) is string iso) w.WriteStringValue(iso); else w.WriteNullValue(); break;
            case "event_type": w.WriteStringValue(e.Type.Name()); break;
            case "event_id": w.WriteStringValue(e.EventId); break;
            case "tool_name": w.WriteStringValue(SessionScan.ToolName(e.Data)); break;
            case "input_summary": w.WriteStringValue(output ? "" : Summary.Of(e.Data)); break;
            case "output_summary": w.WriteStringValue(output ? Summary.Of(e.Data) : ""); break;
            case "duration_ms": EuAiActPackage.WriteDuration(w, raw); break;
            case "cost_usd": w.WriteNumberValue(PyFloat.Round(HeuristicUsage.Dollars(e), 8)); break;
            default: w.WriteStringValue(e.PrevHash); break;
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string StringField(Dictionary<string, string> f, string name) =>
        f.TryGetValue(name, out string? v) && v.Length >= 2 && v[0] == '"' ? JsonText.Unescape(System.Text.Encoding.UTF8.GetBytes(v[1..^1]), true) : "";

    private static byte[]? TryBase64(string s)
    {
        try { return Convert.FromBase64String(s); } catch (FormatException) { return null; }
    }

    private static string Bool(bool? b) => b switch { true => "true", false => "false", _ => "(missing)" };

    private static string Clip(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
