using System.Text.Json;
using AgentStrace.Capture.Import;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Mcp;

/// <summary>Turns JSON-RPC messages seen by the stdio proxy into events (upstream's MCP stdio proxy); single-threaded.</summary>
public sealed class McpRecorder(string sessionDir, string sessionId, Redactor redactor)
{
    private readonly EventWriter _writer = new(sessionDir);
    private readonly Dictionary<string, (string EventId, double Time, string Tool, string Method)> _pending = new(StringComparer.Ordinal);

    public long ToolCalls { get; private set; }
    public long LlmRequests { get; private set; }
    public long Errors { get; private set; }

    public void OnMessage(bool fromClient, byte[] line, double time)
    {
        ReadOnlySpan<byte> trimmed = line.AsSpan().Trim(" \t"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{') return;
        RawJsonObject msg;
        string method;
        try
        {
            var reader = new Utf8JsonReader(line);
            reader.Read();
            reader.Skip();
            msg = new RawJsonObject(line);
            method = msg.GetString("method"u8);
        }
        catch (JsonException) { return; }
        msg.TryGet("id"u8, out RawJsonValue id);
        string idKey = id.IsNull ? "" : System.Text.Encoding.UTF8.GetString(id.ToJsonBytes());
        if (fromClient) Client(msg, method, id, idKey, time); else Server(msg, method, id, idKey, time);
    }

    private void Client(RawJsonObject msg, string method, RawJsonValue id, string idKey, double time)
    {
        RawJsonObject p = msg.GetObject("params"u8);
        switch (method)
        {
            case "tools/call":
                string tool = p.GetString("name"u8) is { Length: > 0 } n ? n : "unknown";
                TraceEvent call = Write(EventType.ToolCall, time, w =>
                {
                    w.WriteString("tool_name", tool);
                    w.WriteJson("arguments", p.TryGet("arguments"u8, out RawJsonValue a) && a.IsObject ? a.Raw.Span : "{}"u8);
                    RequestId(w, id);
                });
                ToolCalls++;
                if (idKey.Length > 0) _pending[idKey] = (call.EventId, time, tool, method);
                break;
            case "resources/read":
                TraceEvent read = Write(EventType.FileRead, time, w => { w.WriteString("uri", p.GetString("uri"u8)); RequestId(w, id); });
                if (idKey.Length > 0) _pending[idKey] = (read.EventId, time, "", method);
                break;
            case "sampling/createMessage" or "completion/create":
                Write(EventType.LlmRequest, time, w =>
                {
                    w.WriteString("method", method);
                    w.WriteString("model", p.GetObject("modelPreferences"u8).GetString("model"u8));
                    w.WriteNumber("message_count", (long)RawJsonObject.Elements(p.Get("messages"u8)).Count);
                    RequestId(w, id);
                });
                LlmRequests++;
                break;
        }
    }

    private void Server(RawJsonObject msg, string method, RawJsonValue id, string idKey, double time)
    {
        if (method == "notifications/resources/updated")
        {
            Write(EventType.FileWrite, time, w => w.WriteString("uri", msg.GetObject("params"u8).GetString("uri"u8)));
            return;
        }
        bool known = _pending.Remove(idKey, out var req);
        string parent = known ? req.EventId : "";
        double? duration = known ? (time - req.Time) * 1000 : null;
        if (msg.TryGet("error"u8, out RawJsonValue errorValue) && errorValue.IsObject)
        {
            RawJsonObject error = errorValue.AsObject();
            Write(EventType.Error, time, w =>
            {
                if (error.TryGet("code"u8, out RawJsonValue code) && code.IsNumber) w.WriteJson("code", code.Raw.Span);
                w.WriteString("message", error.GetString("message"u8));
                RequestId(w, id);
                if (known && req.Tool.Length > 0) w.WriteString("tool_name", req.Tool);
                if (known) w.WriteString("method", req.Method);
            }, parent, duration);
            Errors++;
            return;
        }
        if (!known || req.Method != "tools/call") return;
        RawJsonObject result = msg.GetObject("result"u8);
        RawJsonValue content = result.Get("content"u8);
        var items = RawJsonObject.Elements(content);
        string preview = items.Count > 0 ? items[0].AsObject().GetString("text"u8) : "";
        if (result.IsTruthy("isError"u8))
        {
            Write(EventType.Error, time, w =>
            {
                w.WriteString("tool_name", req.Tool);
                w.WriteString("error", redactor.Cut(preview.Length > 0 ? preview : "tool call failed", 500, "..."));
                w.WriteBool("is_error", true);
                RequestId(w, id);
            }, parent, duration);
            Errors++;
            return;
        }
        Write(EventType.ToolResult, time, w =>
        {
            RequestId(w, id);
            w.WriteString("tool_name", req.Tool);
            w.WritePropertyName("content_types");
            w.WriteStartArray();
            foreach (RawJsonValue item in items) w.WriteStringValue(item.AsObject().GetString("type"u8));
            w.WriteEndArray();
            w.WriteString("content_preview", redactor.Cut(preview, 200, "..."));
        }, parent, duration);
    }

    private static void RequestId(PyJsonWriter w, RawJsonValue id)
    {
        if (id.IsNull) return;
        w.WriteJson("request_id", id.ToJsonBytes());
    }

    public TraceEvent Write(EventType type, double time, Action<PyJsonWriter> data, string parentId = "", double? duration = null)
    {
        var b = new EventBuilder();
        data(b.Data);
        return _writer.Append(redactor.Apply(b.Build(type, sessionId, time, parentId, duration)));
    }
}
