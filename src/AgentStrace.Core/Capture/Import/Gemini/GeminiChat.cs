using AgentStrace.Capture.Import.Agents;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Gemini;

/// <summary>
/// A Gemini CLI chat file replayed to its final state. The v0.39+ <c>.jsonl</c> journal is applied line by line as
/// the CLI loads it: a line with an <c>id</c> inserts a message or replaces the earlier one with that id (last write
/// wins), <c>$set</c> merges metadata and, with <c>messages</c>, replaces the whole list (a checkpoint),
/// <c>$rewindTo</c> removes that message and everything after it (all of it when the id is unknown). The legacy
/// <c>.json</c> is one document. Rewound model calls leave the transcript but were paid for, so they stay in
/// <see cref="Spent"/>.
/// </summary>
public sealed class GeminiChat
{
    public string SessionId { get; private set; } = "";
    public string Kind { get; private set; } = "main";
    public string Summary { get; private set; } = "";
    public double StartTime { get; private set; }
    public double LastUpdated { get; private set; }

    /// <summary>The transcript after replay, in order.</summary>
    public List<RawJsonObject> Messages { get; } = [];

    /// <summary>Every gemini message with tokens ever written, last write per id (including rewound ones).</summary>
    public Dictionary<string, RawJsonValue> Spent { get; } = new(StringComparer.Ordinal);

    // Position of each id in Messages: a journal writes every reply twice, so a scan per write was quadratic.
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public static GeminiChat Read(string path, UnknownRecords unknown)
    {
        var chat = new GeminiChat();
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            byte[] bytes = File.ReadAllBytes(path);
            ReadOnlyMemory<byte> doc = bytes.AsSpan().StartsWith("\xEF\xBB\xBF"u8) ? bytes.AsMemory(3) : bytes;
            if (!JsonlFile.IsObject(doc.Span)) throw new FormatException($"{path} is not a JSON document");
            chat.Header(new RawJsonObject(doc));
            return chat;
        }
        JsonlFile.ForEach(path, (_, raw) =>
        {
            try { chat.Apply(new RawJsonObject(raw.ToArray()), unknown); }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException) { unknown.Add(GeminiReader.Agent, "(unparsable line)"); }
        });
        return chat;
    }

    private void Apply(RawJsonObject line, UnknownRecords unknown)
    {
        if (line.TryGet("$rewindTo"u8, out RawJsonValue target))
        {
            int at = IndexOf(target.GetString());
            Truncate(at < 0 ? 0 : at);
            return;
        }
        if (line.TryGet("id"u8, out RawJsonValue idValue) && idValue.IsString)
        {
            Upsert(line);
            return;
        }
        if (line.TryGet("$set"u8, out RawJsonValue set) && set.IsObject)
        {
            Metadata(set.AsObject());
            return;
        }
        if (line.TryGet("sessionId"u8, out _) && line.TryGet("projectHash"u8, out _))
        {
            Header(line);
            return;
        }
        unknown.Add(GeminiReader.Agent, line.GetString("type"u8) is { Length: > 0 } t ? t : "(line without id, $set or $rewindTo)");
    }

    private void Header(RawJsonObject doc)
    {
        Metadata(doc);
    }

    private void Metadata(RawJsonObject o)
    {
        foreach (var (key, v) in o.Properties())
        {
            switch (key)
            {
                case "sessionId": SessionId = v.GetString(); break;
                case "kind": Kind = v.GetString(); break;
                case "summary": Summary = v.GetString(); break;
                case "startTime": StartTime = TranscriptReader.ParseTime(v.GetString()); break;
                case "lastUpdated": LastUpdated = TranscriptReader.ParseTime(v.GetString()); break;
                case "messages":
                    Truncate(0);
                    foreach (RawJsonValue m in RawJsonObject.Elements(v)) if (m.IsObject) Upsert(m.AsObject());
                    break;
            }
        }
    }

    private void Upsert(RawJsonObject message)
    {
        string id = message.GetString("id"u8);
        int at = IndexOf(id);
        if (at >= 0) Messages[at] = message;
        else
        {
            if (id.Length > 0) _index[id] = Messages.Count;
            Messages.Add(message);
        }
        if (id.Length > 0 && message.GetString("type"u8) == "gemini" && message.GetObject("tokens"u8).Raw.Length > 2) Spent[id] = new RawJsonValue(System.Text.Json.JsonTokenType.StartObject, message.Raw, false);
    }

    /// <summary>Where the message with this id is (ids are unique in the list: a rewrite replaces in place), else -1.</summary>
    private int IndexOf(string id) => id.Length > 0 && _index.TryGetValue(id, out int at) ? at : -1;

    /// <summary>Removes the messages from <paramref name="at"/> on, and their ids from the index.</summary>
    private void Truncate(int at)
    {
        if (at == 0) _index.Clear();
        else for (int i = at; i < Messages.Count; i++) _index.Remove(Messages[i].GetString("id"u8));
        Messages.RemoveRange(at, Messages.Count - at);
    }
}
