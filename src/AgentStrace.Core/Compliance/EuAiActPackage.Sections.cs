using System.Text.Json;
using System.Text.Unicode;
using AgentStrace.Analysis;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Compliance;

public static partial class EuAiActPackage
{
    private static void WriteArticle12Members(PyJsonWriter w, HashingBufferWriter hashing, SessionScan scan, EvidenceSpill spill, string? generatedAt,
        bool evidence, CancellationToken cancellationToken)
    {
        ChainResult chain = scan.Chain;
        w.WriteString("system_id", scan.Session.Id);
        WriteVolatile(w, hashing, "generation_timestamp", generatedAt);
        w.WritePropertyName("trace_integrity");
        w.WriteStartObject();
        w.WriteBool("hash_chain_valid", chain.Ok);
        w.WriteString("root_hash", chain.RootHash);
        w.WriteNumber("event_count", scan.EventCount);
        ChainReport.WriteBreak(w, chain);
        w.WriteString("verification_command", "agent-strace verify " + scan.Session.Id);
        if (evidence) w.WriteNumber("unparsed_lines", scan.UnparsedLines);
        w.WriteEndObject();

        w.WritePropertyName("events");
        w.WriteStartArray();
        spill.WriteSession(w, hashing, evidence, cancellationToken);
        w.WriteEndArray();

        w.WritePropertyName("data_categories_processed");
        WriteStrings(w, scan.Categories);
        w.WritePropertyName("retention_period_days");
        w.WriteNullValue();
    }

    /// <summary>An event of the <c>events</c> lists up to its evidence members (the object is left open).</summary>
    /// <param name="lineHash">The line's SHA-256 when the caller has it already (the chain walk's), else empty.</param>
    internal static void WriteEventMembers(PyJsonWriter w, TraceEvent e, int seq, ReadOnlySpan<byte> line, ReadOnlySpan<byte> lineHash = default)
    {
        // Names as u8 literals: written without an escaping pass (this runs twice per event of every session).
        w.WriteStartObject();
        w.WritePropertyName("seq"u8);
        w.WriteNumberValue(seq);
        w.WritePropertyName("timestamp"u8);
        if (PyTime.Iso(e.Timestamp) is string iso) w.WriteStringValue(iso); else w.WriteNullValue();
        w.WritePropertyName("event_type"u8);
        w.WriteStringValue(e.Type.Name());
        w.WritePropertyName("event_id"u8);
        w.WriteStringValue(e.EventId);
        w.WritePropertyName("tool_name"u8);
        w.WriteStringValue(SessionScan.ToolName(e.Data));
        bool output = HeuristicUsage.IsOutput(e.Type);
        string summary = Summary.Of(e.Data);
        w.WritePropertyName("input_summary"u8);
        w.WriteStringValue(output ? "" : summary);
        w.WritePropertyName("output_summary"u8);
        w.WriteStringValue(output ? summary : "");
        w.WritePropertyName("duration_ms"u8);
        WriteDuration(w, line);
        w.WritePropertyName("cost_usd"u8);
        w.WriteNumberValue(PyFloat.Round(HeuristicUsage.Dollars(e), 8));
        w.WritePropertyName("prev_hash"u8);
        w.WriteStringValue(e.PrevHash);
        w.WritePropertyName("line_hash"u8);
        Span<byte> hash = stackalloc byte[32];
        if (lineHash.Length == 32) lineHash.CopyTo(hash);
        else Sha256.PlatformHash(line, hash);
        Span<char> hex = stackalloc char[64];
        Convert.TryToHexStringLower(hash, hex, out _);
        w.WriteStringValue(hex);
    }

    /// <summary>The members only the evidence copy (<c>sessions[].article_12.events</c>) has: the stored line and its number.</summary>
    internal static void WriteEvidenceMembers(PyJsonWriter w, ReadOnlySpan<byte> line, long lineNumber)
    {
        w.WritePropertyName("line_number"u8);
        w.WriteNumberValue(lineNumber);
        w.WritePropertyName("raw_line"u8);
        WriteRawLine(w, line);
    }

    /// <summary>The stored <c>duration_ms</c> token as Python re-serializes it (an int stays an int), else null.</summary>
    internal static void WriteDuration(PyJsonWriter w, ReadOnlySpan<byte> line)
    {
        // Without the name's bytes and without any escape, no member can be named duration_ms: no need to read the line.
        if (line.IndexOf("duration_ms"u8) < 0 && !line.Contains((byte)'\\'))
        {
            w.WriteNullValue();
            return;
        }
        // Read in place (the first top-level duration_ms, as RawJsonObject.TryGet finds it): no copy of the line.
        var reader = new Utf8JsonReader(line, PyJsonTranscoder.ReaderOptions);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = reader.ValueTextEquals("duration_ms"u8);
                reader.Read();
                if (match)
                {
                    if (reader.TokenType == JsonTokenType.Number) w.WriteJsonValue(reader.ValueSpan);
                    else w.WriteNullValue();
                    return;
                }
                reader.Skip();
            }
        }
        w.WriteNullValue();
    }

    /// <summary>A JSON string holding the line's exact text, or <c>{"base64": …}</c> for bytes that are not UTF-8.</summary>
    internal static void WriteRawLine(PyJsonWriter w, ReadOnlySpan<byte> line)
    {
        if (Utf8.IsValid(line))
        {
            w.WriteJsonStringValue(line, escaped: false);
            return;
        }
        w.WriteStartObject();
        w.WritePropertyName("base64"u8);
        w.WriteBase64StringValue(line);
        w.WriteEndObject();
    }

    private static void WriteArticle13Members(PyJsonWriter w, SessionScan scan)
    {
        var meta = scan.Session.Meta;
        w.WriteString("system_description", "AI agent session trace");
        w.WriteString("intended_purpose", meta.Command.Length > 0 ? meta.Command : meta.AgentName.Length > 0 ? meta.AgentName : "not specified");
        w.WritePropertyName("capabilities_summary");
        w.WriteStartObject();
        w.WritePropertyName("tools_available");
        WriteStrings(w, scan.Tools);
        w.WritePropertyName("tools_used");
        WriteStrings(w, scan.Tools);
        w.WritePropertyName("models_used");
        WriteStrings(w, scan.Models);
        w.WritePropertyName("frameworks_detected");
        WriteStrings(w, []);
        w.WriteEndObject();

        w.WritePropertyName("human_oversight_points");
        w.WriteStartArray();
        foreach (byte[] point in scan.OversightPoints) w.WriteRawValue(point);
        if (scan.WatchdogPostmortem) WriteFilePoint(w, "WATCHDOG_POSTMORTEM", "watchdog-postmortem.json present");
        if (scan.CrashPostmortem) WriteFilePoint(w, "CRASH_POSTMORTEM", "postmortem.md present");
        w.WriteEndArray();

        w.WritePropertyName("limitations");
        w.WriteStartObject();
        w.WriteNumber("context_resets", scan.ContextResets);
        w.WriteNumber("errors_encountered", scan.Errors);
        w.WriteNumber("unresolved_failures", meta.EndedAt is double end && end != 0 ? 0 : 1);
        w.WriteEndObject();
    }

    /// <summary>The event's oversight point rendered at its depth in the package (an item of
    /// <c>human_oversight_points</c>), or null when the event is not one.</summary>
    internal static byte[]? RenderOversightPoint(TraceEvent e)
    {
        string type;
        if (e.Type == EventType.Error) type = "ERROR_RECORDED";
        else if (e.Data.IsTruthy("blocked"u8) || e.Data.IsTruthy("policy_violation"u8)) type = "POLICY_INTERVENTION";
        else return null;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Indented, OversightPointDepth);
        w.WriteStartObject();
        WriteIsoOrNull(w, "timestamp", e.Timestamp);
        w.WriteString("type", type);
        w.WriteString("detail", Summary.Of(e.Data, 180));
        w.WriteEndObject();
        return buffer.WrittenSpan.ToArray();
    }

    // root > article_13 > transparency_documentation > session > human_oversight_points, and
    // root > sessions > session > article_13 > human_oversight_points: both lists sit at depth 5.
    private const int OversightPointDepth = 5;

    private static void WriteFilePoint(PyJsonWriter w, string type, string detail)
    {
        w.WriteStartObject();
        w.WritePropertyName("timestamp");
        w.WriteNullValue();
        w.WriteString("type", type);
        w.WriteString("detail", detail);
        w.WriteEndObject();
    }
}
