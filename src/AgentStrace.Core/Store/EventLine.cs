using System.Buffers;
using System.Text.Json;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>Parses and serializes one <c>events.ndjson</c> line (upstream's event line), byte-compatible with the Python writer.</summary>
public static class EventLine
{
    /// <summary>Parses a line; returns null and a reason when it is not a valid event.</summary>
    public static TraceEvent? TryParse(ReadOnlySpan<byte> line, long lineNumber, out string? error) =>
        TryParse(line, default, lineNumber, out error, EventParseMode.Full);

    /// <summary>
    /// Parses a line held in memory that stays unchanged (a block buffer): with <see cref="EventParseMode.Export"/> the
    /// event's data is a slice of <paramref name="line"/> instead of a copy.
    /// </summary>
    public static TraceEvent? TryParse(ReadOnlyMemory<byte> line, long lineNumber, out string? error, EventParseMode mode) =>
        TryParse(line.Span, line, lineNumber, out error, mode);

    private static TraceEvent? TryParse(ReadOnlySpan<byte> line, ReadOnlyMemory<byte> owner, long lineNumber, out string? error, EventParseMode mode)
    {
        bool slice = mode is EventParseMode.Export or EventParseMode.Slice && !owner.IsEmpty;
        bool indexed = slice || mode == EventParseMode.Indexed;
        bool export = mode == EventParseMode.Export && slice;
        error = null;
        try
        {
            var reader = new Utf8JsonReader(line, PyJsonTranscoder.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not a JSON object";
                return null;
            }
            EventType? type = null;
            double? timestamp = null, duration = null;
            string eventId = "", sessionId = "", parentId = "", prevHash = "", tenant = "";
            bool redacted = false;
            ReadOnlyMemory<byte>? data = null;
            JsonPropertySlot[]? slots = null;
            Span<byte> nameBuffer = stackalloc byte[32];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                Field field = Classify(ref reader, nameBuffer);
                if (field == Field.EventType)
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !EventTypes.TryParse(reader.ValueSpan, out EventType t))
                    {
                        error = "unknown event_type";
                        return null;
                    }
                    type = t;
                }
                else if (field == Field.Timestamp) { reader.Read(); timestamp = reader.GetDouble(); }
                else if (field == Field.EventId) { reader.Read(); eventId = Str(ref reader); }
                else if (field == Field.SessionId) { reader.Read(); sessionId = SessionIdString(ref reader); }
                else if (field == Field.ParentId) { reader.Read(); parentId = Str(ref reader); }
                else if (field == Field.DurationMs)
                {
                    reader.Read();
                    duration = reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();
                }
                else if (field == Field.Data)
                {
                    reader.Read();
                    int start = (int)reader.TokenStartIndex;
                    if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                    if (indexed) slots = RawJsonObject.ReadSlots(ref reader);
                    else reader.Skip();
                    data = slice ? owner[start..(int)reader.BytesConsumed] : line[start..(int)reader.BytesConsumed].ToArray();
                }
                else if (field == Field.PrevHash)
                {
                    reader.Read();
                    if (export) reader.Skip(); else prevHash = Str(ref reader);
                }
                else if (field == Field.Redacted) { reader.Read(); redacted = reader.TokenType == JsonTokenType.True; }
                else if (field == Field.TenantId) { reader.Read(); tenant = Str(ref reader); }
                else { reader.Read(); reader.Skip(); }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "trailing data after the JSON object";
                return null;
            }
            if (type is null)
            {
                error = "missing event_type";
                return null;
            }
            return new TraceEvent
            {
                Type = type.Value,
                Timestamp = timestamp ?? 0,
                EventId = eventId,
                SessionId = sessionId,
                ParentId = parentId,
                DurationMs = duration,
                Data = data is not { } raw ? RawJsonObject.Empty
                    : new RawJsonObject(export && type is EventType.ToolCall or EventType.LlmRequest ? raw.ToArray() : raw, slots),
                PrevHash = prevHash,
                Redacted = redacted,
                TenantId = tenant,
                Line = lineNumber,
            };
        }
        catch (JsonException) when (NonFiniteLiterals.AsNull(line) is { } finite)
        {
            return TryParse(finite, finite, lineNumber, out error, mode);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            error = ex is JsonException ? "invalid JSON" : "a field has the wrong type";
            return null;
        }
    }

    /// <summary>
    /// The event type of a line written in the stored key order (<c>{"event_type":"…"</c> first, as every writer of the
    /// store does), without parsing it; false for any other shape, which the caller then parses in full.
    /// </summary>
    public static bool TryPeekType(ReadOnlySpan<byte> line, out EventType type)
    {
        type = default;
        ReadOnlySpan<byte> prefix = "{\"event_type\":\""u8;
        if (!line.StartsWith(prefix)) return false;
        ReadOnlySpan<byte> rest = line[prefix.Length..];
        int end = rest.IndexOf((byte)'"');
        return end > 0 && EventTypes.TryParse(rest[..end], out type);
    }

    private enum Field { Other, EventType, Timestamp, EventId, SessionId, ParentId, DurationMs, Data, PrevHash, Redacted, TenantId }

    // One length switch and one compare per property instead of a chain of ValueTextEquals (hot: every stored line).
    private static Field Classify(ref Utf8JsonReader reader, scoped Span<byte> buffer)
    {
        scoped ReadOnlySpan<byte> name = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            if (reader.ValueSpan.Length > buffer.Length) return Field.Other;
            name = buffer[..reader.CopyString(buffer)];
        }
        return name.Length switch
        {
            4 when name.SequenceEqual("data"u8) => Field.Data,
            8 when name.SequenceEqual("event_id"u8) => Field.EventId,
            8 when name.SequenceEqual("redacted"u8) => Field.Redacted,
            9 when name.SequenceEqual("timestamp"u8) => Field.Timestamp,
            9 when name.SequenceEqual("parent_id"u8) => Field.ParentId,
            9 when name.SequenceEqual("prev_hash"u8) => Field.PrevHash,
            9 when name.SequenceEqual("tenant_id"u8) => Field.TenantId,
            10 when name.SequenceEqual("event_type"u8) => Field.EventType,
            10 when name.SequenceEqual("session_id"u8) => Field.SessionId,
            11 when name.SequenceEqual("duration_ms"u8) => Field.DurationMs,
            _ => Field.Other,
        };
    }

    [ThreadStatic] private static string? t_lastSessionId;
    [ThreadStatic] private static byte[]? t_lastSessionIdBytes;

    // Every line of a file carries the same session id: reuse the string instead of allocating one per line.
    private static string SessionIdString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && t_lastSessionIdBytes is not null
            && reader.ValueSpan.SequenceEqual(t_lastSessionIdBytes))
        {
            return t_lastSessionId!;
        }
        string id = Str(ref reader);
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            t_lastSessionIdBytes = reader.ValueSpan.ToArray();
            t_lastSessionId = id;
        }
        return id;
    }

    private static string Str(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? JsonText.Unescape(reader.ValueSpan, reader.ValueIsEscaped) : "";

    /// <summary>Writes the line (without newline) in upstream key order, dropping null and "" values.</summary>
    public static void Write(TraceEvent e, IBufferWriter<byte> output) => Write(e, e.PrevHash, output);

    /// <summary>
    /// As <see cref="Write(TraceEvent, IBufferWriter{byte})"/> with <paramref name="prevHash"/> in place of the event's
    /// own (the writer chains lines without a copy of each event). The layout is fixed, so names and separators are
    /// written as bytes: the same bytes <see cref="PyJsonWriter"/> gives in its compact style, without its per-line
    /// state and escaping pass (every stored line goes through here).
    /// </summary>
    internal static void Write(TraceEvent e, string prevHash, IBufferWriter<byte> output)
    {
        WriteUpToData(e, output);
        if (prevHash.Length > 0) Property(output, ",\"prev_hash\":"u8, prevHash);
        WriteAfterHash(e, output);
    }

    /// <summary>As <see cref="Write(TraceEvent, string, IBufferWriter{byte})"/> with the previous hash given as its
    /// lowercase hex digits (nothing to escape).</summary>
    internal static void Write(TraceEvent e, ReadOnlySpan<byte> prevHashHex, IBufferWriter<byte> output)
    {
        WriteUpToData(e, output);
        if (!prevHashHex.IsEmpty)
        {
            output.Write(",\"prev_hash\":\""u8);
            output.Write(prevHashHex);
            output.Write("\""u8);
        }
        WriteAfterHash(e, output);
    }

    private static void WriteUpToData(TraceEvent e, IBufferWriter<byte> output)
    {
        output.Write("{\"event_type\":"u8);
        PyJsonWriter.WriteQuoted(output, e.Type.Name());
        output.Write(",\"timestamp\":"u8);
        WriteDouble(output, e.Timestamp);
        if (e.EventId.Length > 0) Property(output, ",\"event_id\":"u8, e.EventId);
        if (e.SessionId.Length > 0) Property(output, ",\"session_id\":"u8, e.SessionId);
        if (e.ParentId.Length > 0) Property(output, ",\"parent_id\":"u8, e.ParentId);
        if (e.DurationMs is double d)
        {
            output.Write(",\"duration_ms\":"u8);
            WriteDouble(output, d);
        }
        output.Write(",\"data\":"u8);
        output.Write(e.Data.Raw.Span);
    }

    private static void WriteAfterHash(TraceEvent e, IBufferWriter<byte> output)
    {
        if (e.Redacted) output.Write(",\"redacted\":true"u8);
        if (e.TenantId.Length > 0) Property(output, ",\"tenant_id\":"u8, e.TenantId);
        output.Write("}"u8);
    }

    private static void Property(IBufferWriter<byte> output, ReadOnlySpan<byte> name, string value)
    {
        output.Write(name);
        PyJsonWriter.WriteQuoted(output, value);
    }

    private static void WriteDouble(IBufferWriter<byte> output, double value)
    {
        Span<char> chars = stackalloc char[40];
        int n = PyFloat.Format(value, chars);
        Span<byte> span = output.GetSpan(n);
        for (int i = 0; i < n; i++) span[i] = (byte)chars[i];
        output.Advance(n);
    }

    public static byte[] Serialize(TraceEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + e.Data.Raw.Length);
        Write(e, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
