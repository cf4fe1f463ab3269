using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgentStrace.Json;
using AgentStrace.Json.Documents;
using AgentStrace.Model;
using AgentStrace.Output;
using AgentStrace.Store;
using Utf8StringInterpolation;

namespace AgentStrace.View;

/// <summary>The <c>list</c> table and JSON, <c>inspect</c> JSON, and the event timeline.</summary>
public static class SessionViews
{
    public static void ListTable(IReadOnlyList<SessionInfo> sessions, IBufferWriter<byte> output, string storeName = "")
    {
        if (sessions.Count == 0)
        {
            Text.Line(output, storeName.Length > 0 ? $"No sessions in {storeName}. {TraceStore.EmptyHint}" : "No sessions found.");
            return;
        }
        Utf8String.Format(output, $"{"ID",-18}  {"Started (UTC)",-19}  {"Duration",9}  {"Tools",5}  {"LLM",4}  {"Err",3}  Agent\n");
        foreach (SessionInfo s in sessions)
        {
            SessionMeta m = s.Meta;
            double seconds = m.TotalDurationMs > 0 ? m.TotalDurationMs / 1000 : (m.EndedAt is double e ? e - m.StartedAt : 0);
            string agent = m.Depth > 0 ? $"{m.AgentName} (sub-agent of {Text.Clip(m.ParentSessionId, 12)})" : m.AgentName;
            Utf8String.Format(output, $"{Text.Clip(s.Id, 18),-18}  {Text.UtcTime(m.StartedAt),-19}  {seconds,8:0.0}s  {m.ToolCalls,5}  {m.LlmRequests,4}  {m.Errors,3}  {agent}\n");
        }
        Utf8String.Format(output, $"{sessions.Count} session(s)\n");
    }

    public static void ListJson(IReadOnlyList<SessionInfo> sessions, IBufferWriter<byte> output)
    {
        List<SessionListDocument> list = sessions.Select(s => new SessionListDocument
        {
            SessionId = s.Id,
            StartedAt = s.Meta.StartedAt,
            EndedAt = s.Meta.EndedAt,
            AgentName = s.Meta.AgentName,
            Command = s.Meta.Command,
            ToolCalls = s.Meta.ToolCalls,
            LlmRequests = s.Meta.LlmRequests,
            Errors = s.Meta.Errors,
            TotalTokens = s.Meta.TotalTokens,
            TotalDurationMs = s.Meta.TotalDurationMs,
            ParentSessionId = s.Meta.ParentSessionId,
            Depth = s.Meta.Depth,
        }).ToList();
        var w = new PyJsonWriter(output, PyJsonStyle.Indented);
        var one = new ArrayBufferWriter<byte>(512);
        w.WriteStartArray();
        foreach (SessionListDocument d in list)
        {
            // Through the transcoder, as inspect prints meta.json: a started_at of 1e400 (infinity) comes out as null,
            // so the output stays JSON.
            one.ResetWrittenCount();
            d.Write(new PyJsonWriter(one, PyJsonStyle.Compact));
            w.WriteJsonValue(one.WrittenSpan);
        }
        w.WriteEndArray();
        output.Write("\n"u8);
    }

    /// <summary>Upstream's <c>inspect</c>: <c>{"session": meta, "events": [...]}</c> with indent=2, streamed event by event.</summary>
    public static void InspectJson(SessionInfo session, IBufferWriter<byte> output, Action<MalformedLine>? onMalformed, CancellationToken cancellationToken = default)
    {
        var w = new PyJsonWriter(output, PyJsonStyle.Indented);
        w.WriteStartObject();
        w.WriteJson("session", MetaJson.Serialize(session.Meta));
        w.WritePropertyName("events");
        w.WriteStartArray();
        if (File.Exists(session.EventsPath))
        {
            using var reader = new EventReader(session.EventsPath) { OnMalformed = onMalformed, Cancellation = cancellationToken };
            foreach (TraceEvent e in reader.ReadAll()) w.WriteJsonValue(EventLine.Serialize(e));
        }
        w.WriteEndArray();
        w.WriteEndObject();
        output.Write("\n"u8);
    }

    public static string FormatDuration(double ms) =>
        ms >= 1000 ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + "s" : ms.ToString("0", CultureInfo.InvariantCulture) + "ms";

    /// <summary>A short human description of an event's payload.</summary>
    public static string Describe(TraceEvent e)
    {
        RawJsonObject d = e.Data;
        string s = e.Type switch
        {
            EventType.UserPrompt => d.GetString("prompt"u8),
            EventType.AssistantResponse => d.GetString("text"u8),
            EventType.ToolCall => d.GetString("tool_name"u8) + " " + ArgumentSummary(d.GetObject("arguments"u8)),
            EventType.ToolResult => First(d.GetString("tool_name"u8), "") + " → " + First(d.GetString("result"u8), d.GetString("content_preview"u8)),
            EventType.Error => First(d.GetString("tool_name"u8), "error") + ": " + First(d.GetString("error"u8), d.GetString("message"u8)),
            EventType.LlmRequest => First(d.GetString("model"u8), "model") + Tokens(d.GetInt64("input_tokens"u8), " in"),
            EventType.LlmResponse => First(d.GetString("model"u8), "model") + Tokens(d.GetInt64("output_tokens"u8), " out") + Suffix(d.GetString("stop_reason"u8)),
            EventType.FileRead or EventType.FileWrite => First(d.GetString("path"u8), First(d.GetString("file_path"u8), d.GetString("uri"u8))),
            EventType.Decision => d.GetString("choice"u8),
            EventType.SessionStart => First(d.GetString("mode"u8), d.GetString("agent_name"u8)),
            _ => "",
        };
        return Text.Clip(s, 70);
    }

    private static string ArgumentSummary(RawJsonObject args)
    {
        foreach (var (key, value) in args.Properties())
        {
            if (key is "command" or "file_path" or "path" or "pattern" or "description" or "url" or "query")
            {
                return value.ToPythonStr();
            }
        }
        var all = args.Properties();
        return all.Count > 0 ? all[0].Value.ToPythonStr() : "";
    }

    private static string First(string a, string b) => a.Length > 0 ? a : b;
    private static string Tokens(long? n, string label) => n is long v ? $" {v}{label}" : "";
    private static string Suffix(string s) => s.Length > 0 ? $" ({s})" : "";
}
