using System.Buffers;
using System.Text.Json;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Capture.Redaction;

/// <summary>
/// Removes secrets before anything is stored (upstream's redaction rules): values under sensitive key names become
/// <c>[REDACTED:sensitive]</c>, and known secret shapes inside any other string become <c>[REDACTED:&lt;kind&gt;]</c>.
/// </summary>
public sealed class Redactor
{
    public const string SensitiveMarker = "[REDACTED:sensitive]";

    /// <summary>A redactor that changes nothing (redaction turned off).</summary>
    public static readonly Redactor Off = new(false);

    public static readonly Redactor On = new(true);

    private Redactor(bool enabled) => Enabled = enabled;

    public bool Enabled { get; }

    public static Redactor For(bool enabled) => enabled ? On : Off;

    /// <summary>True unless AGENT_STRACE_NO_REDACT / AGENT_TRACE_NO_REDACT is 1, true or yes.</summary>
    public static bool EnabledByEnvironment() =>
        !(IsYes(Environment.GetEnvironmentVariable("AGENT_STRACE_NO_REDACT")) || IsYes(Environment.GetEnvironmentVariable("AGENT_TRACE_NO_REDACT")));

    public static bool IsYes(string? value) =>
        value is not null && (value.Trim().Equals("1", StringComparison.Ordinal) || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) || value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase));

    public static bool IsSensitiveKey(string key) => SensitiveNames.IsSensitive(key);

    /// <summary>Applies every pattern to <paramref name="value"/>.</summary>
    public string Text(string value)
    {
        if (!Enabled || value.Length < 8) return value;
        string result = value;
        TriggerSet present = RedactionPatterns.Triggers.Scan(value);
        Pattern[] all = RedactionPatterns.All;
        // In table order, as a loop over every pattern would try them; only those the index leaves are asked.
        PatternSet candidates = RedactionPatterns.Index.Candidates(present);
        for (int i = candidates.Next(0); i >= 0; i = candidates.Next(i + 1))
        {
            Pattern pattern = all[i];
            if (!pattern.MayMatch(present)) continue;
            string next = pattern.Apply(result);
            if (ReferenceEquals(next, result)) continue;
            result = next;
            present = RedactionPatterns.Triggers.Scan(result); // a replacement changes which literals the text holds
            candidates = RedactionPatterns.Index.Candidates(present);
        }
        return result;
    }

    /// <summary>Redacts, then cuts to <paramref name="max"/> characters (plus <paramref name="suffix"/>): cutting first
    /// could leave the start of a secret too short for its rule, or a private key without its END line.</summary>
    public string Cut(string value, int max, string suffix = "") => Cut(value, false, max, suffix);

    /// <summary>How far past the kept part a long text is read and redacted (<see cref="ReadLimit"/>): a secret that
    /// starts inside the kept part and runs further than this is no shape any rule knows.</summary>
    public const int Window = 64 * 1024;

    /// <summary>How many chars of a text to read for a cut to <paramref name="max"/>.</summary>
    public static int ReadLimit(int max) => max + Window;

    /// <summary>As <see cref="Cut(string, int, string)"/> for the head of a longer text (<paramref name="truncated"/>:
    /// the text went on past <paramref name="head"/>, read up to <see cref="ReadLimit"/>).</summary>
    public string Cut(string head, bool truncated, int max, string suffix)
    {
        string redacted = Text(head);
        if (redacted.Length <= max) return truncated ? redacted + suffix : redacted;
        int marker = redacted.LastIndexOf("[REDACTED", max, StringComparison.Ordinal);
        if (marker >= 0 && redacted.IndexOf(']', marker) >= max) max = marker; // never half a marker
        return redacted[..max] + suffix;
    }

    /// <summary>Returns the event with its data redacted and <c>redacted: true</c> set when anything was (or already is) redacted.</summary>
    public TraceEvent Apply(TraceEvent e)
    {
        if (!Enabled) return e;
        RawJsonObject data = Data(e.Data, out bool redacted);
        return redacted ? Flagged(e, data) : e;
    }

    private static TraceEvent Flagged(TraceEvent e, RawJsonObject data) => new()
    {
        Type = e.Type, Timestamp = e.Timestamp, EventId = e.EventId, SessionId = e.SessionId, ParentId = e.ParentId,
        DurationMs = e.DurationMs, Data = data, PrevHash = e.PrevHash, Redacted = true, TenantId = e.TenantId,
    };

    /// <summary>
    /// An event whose every value this redactor already redacted (an import's mapper does it before cutting texts):
    /// flagged <c>redacted: true</c> as <see cref="Apply"/> would flag it, without transcoding it again.
    /// </summary>
    public TraceEvent Flag(TraceEvent e)
    {
        return !Enabled || e.Redacted || e.Data.Raw.Span.IndexOf("[REDACTED"u8) < 0 ? e : Flagged(e, e.Data);
    }

    /// <summary>Redacts a JSON object, re-serialized in the Python compact layout.</summary>
    public RawJsonObject Data(RawJsonObject data, out bool redacted)
    {
        redacted = false;
        if (!Enabled) return data;
        var buffer = new ArrayBufferWriter<byte>(data.Raw.Length + 32);
        var writer = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        bool changed = WriteRedacted(data.Raw.Span, writer);
        redacted = changed || data.Raw.Span.IndexOf("[REDACTED"u8) >= 0;
        return changed ? new RawJsonObject(buffer.WrittenSpan.ToArray()) : data;
    }

    /// <summary>Transcodes any JSON value through <paramref name="writer"/>, redacting strings; returns whether anything changed.</summary>
    public bool WriteRedacted(ReadOnlySpan<byte> json, PyJsonWriter writer)
    {
        if (!Enabled)
        {
            writer.WriteJsonValue(json);
            return false;
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = PyJsonTranscoder.MaxDepth });
        // Per container: is it sensitive (strings inside become the marker), and the last property name.
        var sensitive = new Stack<bool>();
        var parentKeys = new Stack<string>();
        string lastKey = "";
        bool changed = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    bool inherit = sensitive.Count > 0 && sensitive.Peek() && reader.TokenType == JsonTokenType.StartArray;
                    sensitive.Push(inherit || (reader.TokenType == JsonTokenType.StartArray && lastKey.Length > 0 && IsSensitiveKey(lastKey)));
                    parentKeys.Push(lastKey);
                    lastKey = "";
                    if (reader.TokenType == JsonTokenType.StartObject) writer.WriteStartObject(); else writer.WriteStartArray();
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    sensitive.Pop();
                    lastKey = "";
                    parentKeys.Pop();
                    if (reader.TokenType == JsonTokenType.EndObject) writer.WriteEndObject(); else writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    lastKey = reader.GetString() ?? "";
                    // A secret can be a key too ({"ghp_…": "repo"}).
                    string name = Text(lastKey);
                    if (!ReferenceEquals(name, lastKey) && name != lastKey) changed = true;
                    writer.WritePropertyName(name);
                    break;
                case JsonTokenType.String:
                    string value = JsonText.Unescape(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan, reader.ValueIsEscaped);
                    string output;
                    if ((lastKey.Length > 0 && IsSensitiveKey(lastKey)) || (lastKey.Length == 0 && sensitive.Count > 0 && sensitive.Peek()))
                    {
                        output = SensitiveMarker;
                    }
                    else if (lastKey == "policy_sha256" && parentKeys.Count > 0 && parentKeys.Peek() == "agent_trace_authorization" && RedactionPatterns.PolicySha256().IsMatch(value))
                    {
                        output = value;
                    }
                    else
                    {
                        output = Text(value);
                    }
                    if (!ReferenceEquals(output, value) && output != value) changed = true;
                    writer.WriteStringValue(output);
                    lastKey = "";
                    break;
                case JsonTokenType.Number: PyJsonTranscoder.WriteNumber(reader.ValueSpan, writer); lastKey = ""; break;
                case JsonTokenType.True: writer.WriteBoolValue(true); lastKey = ""; break;
                case JsonTokenType.False: writer.WriteBoolValue(false); lastKey = ""; break;
                case JsonTokenType.Null: writer.WriteNullValue(); lastKey = ""; break;
            }
        }
        return changed;
    }
}
