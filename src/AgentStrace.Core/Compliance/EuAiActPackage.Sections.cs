using System.Text.Json;
using System.Text.Unicode;
using AgentStrace.Analysis;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Compliance;

public static partial class EuAiActPackage
{
    private static void WriteArticle12Members(PyJsonWriter w, HashingBufferWriter hashing, SessionScan scan, string? generatedAt, bool evidence,
        CancellationToken cancellationToken)
    {
        ChainResult chain = scan.Chain;
        w.WriteString("system_id", scan.Session.Id);
        WriteVolatile(w, hashing, "generation_timestamp", generatedAt);
        w.WritePropertyName("trace_integrity");
        w.WriteStartObject();
        w.WriteBool("hash_chain_valid", chain.Ok);
        w.WriteString("root_hash", chain.RootHash);
        w.WriteNumber("event_count", scan.EventCount);
        w.WritePropertyName("broken_at");
        if (chain.BrokenAt is int at) w.WriteNumberValue(at); else w.WriteNullValue();
        w.WriteString("broken_event_id", chain.BrokenEventId);
        w.WriteString("verification_command", "agent-strace verify " + scan.Session.Id);
        if (evidence) w.WriteNumber("unparsed_lines", scan.UnparsedLines);
        w.WriteEndObject();

        w.WritePropertyName("events");
        w.WriteStartArray();
        int seq = 0;
        EventLines.ForEach(scan.Session.EventsPath, scan.Limit, (e, line, lineNumber) => WriteEvent(w, e, ++seq, line, lineNumber, evidence),
            cancellationToken: cancellationToken);
        w.WriteEndArray();

        w.WritePropertyName("data_categories_processed");
        WriteStrings(w, scan.Categories);
        w.WritePropertyName("retention_period_days");
        w.WriteNullValue();
    }

    private static void WriteEvent(PyJsonWriter w, TraceEvent e, int seq, ReadOnlySpan<byte> line, long lineNumber, bool evidence)
    {
        w.WriteStartObject();
        w.WriteNumber("seq", seq);
        WriteIsoOrNull(w, "timestamp", e.Timestamp);
        w.WriteString("event_type", e.Type.Name());
        w.WriteString("event_id", e.EventId);
        w.WriteString("tool_name", SessionScan.ToolName(e.Data));
        bool output = HeuristicUsage.IsOutput(e.Type);
        string summary = Summary.Of(e.Data);
        w.WriteString("input_summary", output ? "" : summary);
        w.WriteString("output_summary", output ? summary : "");
        w.WritePropertyName("duration_ms");
        WriteDuration(w, line);
        w.WriteNumber("cost_usd", PyFloat.Round(HeuristicUsage.Dollars(e), 8));
        w.WriteString("prev_hash", e.PrevHash);
        w.WriteString("line_hash", Ids.Sha256Hex(line));
        if (evidence)
        {
            w.WriteNumber("line_number", lineNumber);
            w.WritePropertyName("raw_line");
            WriteRawLine(w, line);
        }
        w.WriteEndObject();
    }

    /// <summary>The stored <c>duration_ms</c> token as Python re-serializes it (an int stays an int), else null.</summary>
    internal static void WriteDuration(PyJsonWriter w, ReadOnlySpan<byte> line)
    {
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
            w.WriteUtf8StringValue(line);
            return;
        }
        w.WriteStartObject();
        w.WriteString("base64", Convert.ToBase64String(line));
        w.WriteEndObject();
    }

    private static void WriteArticle13Members(PyJsonWriter w, SessionScan scan, CancellationToken cancellationToken)
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
        EventLines.ForEach(scan.Session.EventsPath, scan.Limit, (e, _, _) => WriteOversightPoint(w, e), cancellationToken: cancellationToken);
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

    private static void WriteOversightPoint(PyJsonWriter w, TraceEvent e)
    {
        string type;
        if (e.Type == EventType.Error) type = "ERROR_RECORDED";
        else if (e.Data.IsTruthy("blocked"u8) || e.Data.IsTruthy("policy_violation"u8)) type = "POLICY_INTERVENTION";
        else return;
        w.WriteStartObject();
        WriteIsoOrNull(w, "timestamp", e.Timestamp);
        w.WriteString("type", type);
        w.WriteString("detail", Summary.Of(e.Data, 180));
        w.WriteEndObject();
    }

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
