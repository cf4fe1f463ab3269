using System.Buffers;
using System.Text;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary><c>--format json|ndjson|csv</c>: the session's events as upstream writes them.</summary>
public static class EventFormatExport
{
    /// <param name="cancellationToken">Checked every 4,096 events: Ctrl-C stops a big export promptly.</param>
    public static void Write(IReadOnlyList<SessionInfo> sessions, ExportFormat format, IBufferWriter<byte> output, Action<MalformedLine>? onMalformed,
        CancellationToken cancellationToken = default)
    {
        long events = 0;
        PyJsonWriter? json = null;
        if (format == ExportFormat.Json)
        {
            json = new PyJsonWriter(output, PyJsonStyle.Indented);
            json.WriteStartArray();
        }
        else if (format == ExportFormat.Csv)
        {
            output.Write(CsvHeader);
        }
        foreach (SessionInfo s in sessions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!File.Exists(s.EventsPath)) continue;
            using var reader = new EventReader(s.EventsPath) { OnMalformed = onMalformed };
            while (reader.TryRead(out TraceEvent e))
            {
                if ((++events & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
                switch (format)
                {
                    case ExportFormat.Json: json!.WriteJsonValue(EventLine.Serialize(e)); break;
                    case ExportFormat.Ndjson: EventLine.Write(e, output); output.Write("\n"u8); break;
                    default: CsvRow(s.Id, e, output); break;
                }
            }
        }
        if (json is not null)
        {
            json.WriteEndArray();
            output.Write("\n"u8);
        }
    }

    /// <summary>
    /// The CSV columns, fixed: new columns are only ever added at the end. The session id comes first so rows of a
    /// multi-session export (<c>--all</c>) can be told apart; the rest are upstream's columns in upstream's order.
    /// </summary>
    public static ReadOnlySpan<byte> CsvHeader => "session_id,timestamp,event_type,event_id,parent_id,duration_ms,data\r\n"u8;

    // Python's csv.writer: QUOTE_MINIMAL, "\r\n" line ends; duration empty when null or 0.
    private static void CsvRow(string sessionId, TraceEvent e, IBufferWriter<byte> output)
    {
        string duration = e.DurationMs is double d && d != 0 ? PyFloat.Format(d) : "";
        string data = PyJsonTranscoder.ToPython(e.Data.Raw.Span, PyJsonStyle.Default);
        string line = string.Join(',', Cell(sessionId), Cell(PyFloat.Format(e.Timestamp)), Cell(e.Type.Name()), Cell(e.EventId), Cell(e.ParentId), Cell(duration), Cell(data));
        Encoding.UTF8.GetBytes(line, output);
        output.Write("\r\n"u8);
    }

    private static string Cell(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
