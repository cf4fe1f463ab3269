using System.Text.Json;
using AgentStrace.Json;

namespace AgentStrace.Capture.Hooks;

/// <summary>A hook's stdin JSON, parsed once into its top-level fields (every field optional: Claude Code versions differ).</summary>
public sealed class HookPayload
{
    private readonly Dictionary<string, RawJsonValue> _fields;

    private HookPayload(Dictionary<string, RawJsonValue> fields, ReadOnlyMemory<byte> raw)
    {
        _fields = fields;
        Raw = raw;
    }

    /// <summary>The payload's JSON text as received.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>Parses the payload; throws <see cref="FormatException"/> for empty or non-object input.</summary>
    public static HookPayload Parse(byte[] utf8)
    {
        ReadOnlyMemory<byte> json = utf8;
        if (json.Span.StartsWith("\xEF\xBB\xBF"u8)) json = json[3..];
        if (json.Span.Trim(" \t\r\n"u8).IsEmpty) throw new FormatException("empty stdin (expected the hook's JSON payload)");
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = PyJsonTranscoder.MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new FormatException("stdin is not a JSON object");
            reader.Skip();
            if (reader.Read()) throw new FormatException("trailing data after the JSON payload");
            var fields = new Dictionary<string, RawJsonValue>(StringComparer.Ordinal);
            foreach (var (key, value) in new RawJsonObject(json).Properties()) fields[key] = value;
            return new HookPayload(fields, json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"stdin is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})");
        }
    }

    /// <summary>Gives <paramref name="to"/> the value of <paramref name="from"/> when only the latter is present (another agent's field name).</summary>
    public void Alias(string from, string to)
    {
        if (!_fields.ContainsKey(to) && _fields.TryGetValue(from, out RawJsonValue v)) _fields[to] = v;
    }

    /// <summary>Sets <paramref name="key"/> unless the payload already has it.</summary>
    public void Set(string key, RawJsonValue value) => _fields.TryAdd(key, value);

    public RawJsonValue this[string key] => _fields.TryGetValue(key, out RawJsonValue v) ? v : default;

    public string Str(string key) => _fields.TryGetValue(key, out RawJsonValue v) && v.IsString ? v.GetString() : "";

    public bool Truthy(string key) => _fields.TryGetValue(key, out RawJsonValue v) && v.IsTruthy;

    public double? Number(string key) => _fields.TryGetValue(key, out RawJsonValue v) && v.TryGetDouble(out double d) ? d : null;

    public RawJsonObject Obj(string key) => this[key].AsObject();

    public string SessionId => Str("session_id");
    public string Cwd => Str("cwd");
    public string TranscriptPath => Str("transcript_path");
    public string AgentId => Str("agent_id");
    public string AgentType => Str("agent_type");
    public string ToolName => Str("tool_name");
    public string ToolUseId => Str("tool_use_id");
}
