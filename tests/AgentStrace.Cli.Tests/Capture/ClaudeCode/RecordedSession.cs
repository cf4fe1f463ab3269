using System.Text.Json;

namespace AgentStrace.Cli.Tests.Capture.ClaudeCode;

/// <summary>A session directory of the store as the test reads it: meta.json and the event lines.</summary>
public sealed class RecordedSession
{
    private RecordedSession(string id, JsonElement meta, List<JsonElement> events)
    {
        Id = id;
        Meta = meta;
        Events = events;
    }

    public string Id { get; }
    public JsonElement Meta { get; }
    public List<JsonElement> Events { get; }

    public string ParentSessionId => Meta.TryGetProperty("parent_session_id", out JsonElement p) ? p.GetString() ?? "" : "";
    public string ParentEventId => Meta.TryGetProperty("parent_event_id", out JsonElement p) ? p.GetString() ?? "" : "";

    public static List<RecordedSession> LoadAll(string store)
    {
        var sessions = new List<RecordedSession>();
        foreach (string dir in Directory.GetDirectories(store))
        {
            string metaPath = Path.Combine(dir, "meta.json");
            if (!File.Exists(metaPath)) continue;
            JsonElement meta = JsonDocument.Parse(File.ReadAllText(metaPath)).RootElement.Clone();
            var events = new List<JsonElement>();
            string eventsPath = Path.Combine(dir, "events.ndjson");
            if (File.Exists(eventsPath))
            {
                foreach (string line in File.ReadAllLines(eventsPath))
                {
                    if (line.Length > 0) events.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
            sessions.Add(new RecordedSession(Path.GetFileName(dir), meta, events));
        }
        return sessions;
    }

    public IEnumerable<JsonElement> OfType(string type) => Events.Where(e => e.GetProperty("event_type").GetString() == type);

    public static string Data(JsonElement e, string key) =>
        e.GetProperty("data").TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    /// <summary>tool_use_id of every tool_call, in order.</summary>
    public List<string> CallIds() => OfType("tool_call").Select(e => Data(e, "tool_use_id")).ToList();

    /// <summary>message_id of every llm_request, in order.</summary>
    public List<string> RequestMessageIds() => OfType("llm_request").Select(e => Data(e, "message_id")).ToList();

    /// <summary>The tool_result or error event closing the call <paramref name="toolUseId"/> (parent_id = the call's event id).</summary>
    public List<JsonElement> Outcomes(string toolUseId)
    {
        string callId = OfType("tool_call").Where(e => Data(e, "tool_use_id") == toolUseId).Select(e => e.GetProperty("event_id").GetString()!).SingleOrDefault() ?? "-";
        return Events.Where(e => e.TryGetProperty("parent_id", out JsonElement p) && p.GetString() == callId
            && e.GetProperty("event_type").GetString() is "tool_result" or "error").ToList();
    }

    public string CallEventId(string toolUseId) =>
        OfType("tool_call").Where(e => Data(e, "tool_use_id") == toolUseId).Select(e => e.GetProperty("event_id").GetString()!).Single();
}
