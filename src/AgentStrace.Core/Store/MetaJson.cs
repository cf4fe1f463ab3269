using System.Buffers;
using System.Text.Json;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>Reads and writes <c>meta.json</c> byte-compatibly with Python's <c>json.dumps(indent=2)</c>.</summary>
public static class MetaJson
{
    public static SessionMeta Parse(ReadOnlySpan<byte> json, string path)
    {
        if (json.StartsWith("\xEF\xBB\xBF"u8)) json = json[3..];
        byte[] copy = json.ToArray(); // values keep slices of it (attribution, unknown keys)
        var meta = new SessionMeta();
        try
        {
            var reader = new Utf8JsonReader(copy, PyJsonTranscoder.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
            var obj = new RawJsonObject(copy);
            foreach (var (key, v) in obj.Properties())
            {
                switch (key)
                {
                    case "session_id": meta.SessionId = v.GetString(); break;
                    case "started_at": meta.StartedAt = Double(v); break;
                    case "ended_at": meta.EndedAt = v.IsNull ? null : Double(v); break;
                    case "agent_name": meta.AgentName = v.GetString(); break;
                    case "command": meta.Command = v.GetString(); break;
                    case "tool_calls": meta.ToolCalls = Long(v); break;
                    case "llm_requests": meta.LlmRequests = Long(v); break;
                    case "errors": meta.Errors = Long(v); break;
                    case "total_tokens": meta.TotalTokens = Long(v); break;
                    case "total_duration_ms": meta.TotalDurationMs = Double(v); break;
                    case "parent_session_id": meta.ParentSessionId = v.GetString(); break;
                    case "parent_event_id": meta.ParentEventId = v.GetString(); break;
                    case "depth": meta.Depth = Long(v); break;
                    case "attribution": meta.Attribution = v.IsNull ? null : new RawJsonValue(v.Kind, v.Raw.ToArray(), v.Escaped); break;
                    // Written by earlier versions; the Python tool cannot load a meta.json with it, so rewrites drop it
                    // (the agent's identity lives in the session's .agent-process.json).
                    case "agent_pid": break;
                    default: meta.Extra.Add(new(key, v.ToJsonBytes())); break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new StoreCorruptException($"{path} is not valid session metadata ({ex.Message}); fix or remove that session directory.");
        }
        return meta;
    }

    /// <summary>meta.json is a few hundred bytes; anything past this bound is not metadata.</summary>
    public const long MaxBytes = 16 << 20;

    public static SessionMeta Read(string path) => Parse(SafeFile.ReadAllBytes(path, MaxBytes), path);

    /// <summary>Serializes as upstream does: indent=2, ASCII, keys equal to None/""/0/false dropped, no trailing newline.</summary>
    public static byte[] Serialize(SessionMeta meta)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Indented);
        w.WriteStartObject();
        Str(w, "session_id", meta.SessionId);
        Num(w, "started_at", meta.StartedAt);
        if (meta.EndedAt is double ended) Num(w, "ended_at", ended);
        Str(w, "agent_name", meta.AgentName);
        Str(w, "command", meta.Command);
        Int(w, "tool_calls", meta.ToolCalls);
        Int(w, "llm_requests", meta.LlmRequests);
        Int(w, "errors", meta.Errors);
        Int(w, "total_tokens", meta.TotalTokens);
        Num(w, "total_duration_ms", meta.TotalDurationMs);
        Str(w, "parent_session_id", meta.ParentSessionId);
        Str(w, "parent_event_id", meta.ParentEventId);
        Int(w, "depth", meta.Depth);
        if (meta.Attribution is RawJsonValue attribution) w.WriteJson("attribution", attribution.ToJsonBytes());
        foreach (var (key, raw) in meta.Extra)
        {
            if (!IsFalsyScalar(raw)) w.WriteJson(key, raw);
        }
        w.WriteEndObject();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Str(PyJsonWriter w, string key, string value)
    {
        if (value.Length > 0) w.WriteString(key, value);
    }

    private static void Num(PyJsonWriter w, string key, double value)
    {
        if (value != 0) w.WriteNumber(key, value);
    }

    private static void Int(PyJsonWriter w, string key, long value)
    {
        if (value != 0) w.WriteNumber(key, value);
    }

    private static double Double(RawJsonValue v) => v.TryGetDouble(out double d) ? d : throw new FormatException("expected a number");

    private static long Long(RawJsonValue v)
    {
        if (v.TryGetInt64(out long l)) return l;
        if (v.TryGetDouble(out double d)) return (long)d;
        if (v.IsBool) return v.Kind == JsonTokenType.True ? 1 : 0;
        throw new FormatException("expected an integer");
    }

    // Python drops values == 0 (so also 0.0 and False), None and "".
    private static bool IsFalsyScalar(ReadOnlySpan<byte> raw)
    {
        if (raw.SequenceEqual("null"u8) || raw.SequenceEqual("\"\""u8) || raw.SequenceEqual("false"u8)) return true;
        var v = new RawJsonValue(JsonTokenType.Number, raw.ToArray(), false);
        return raw.Length > 0 && (raw[0] is (byte)'-' or (>= (byte)'0' and <= (byte)'9')) && v.TryGetDouble(out double d) && d == 0;
    }
}
