using System.Runtime.InteropServices;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Gemini;

/// <summary>
/// A Gemini CLI chat file replayed to its final state. The v0.39+ <c>.jsonl</c> journal is applied line by line as
/// the CLI loads it: a line with an <c>id</c> inserts a message or replaces the earlier one with that id (last write
/// wins), <c>$set</c> merges metadata and, with <c>messages</c>, replaces the whole list (a checkpoint),
/// <c>$rewindTo</c> removes that message and everything after it (all of it when the id is unknown). The legacy
/// <c>.json</c> is one document, streamed the same way (GeminiChat.Document.cs). Rewound model calls leave the transcript but were paid for, so they stay in
/// <see cref="Spent"/>.
/// </summary>
/// <remarks>
/// The replay keeps no message, only where its last write sits in the file (<see cref="GeminiMessage"/>): memory grows
/// with the number of messages, not with their size. <see cref="Open"/> then reads the surviving writes in order.
/// </remarks>
public sealed partial class GeminiChat
{
    public string SessionId { get; private set; } = "";
    public string Kind { get; private set; } = "main";
    public string Summary { get; private set; } = "";
    public double StartTime { get; private set; }
    public double LastUpdated { get; private set; }

    /// <summary>The transcript after replay, in order: where each message's last write sits.</summary>
    public GeminiMessageList Messages { get; } = new();

    /// <summary>Every gemini message with tokens ever written, last write per id (including rewound ones), in the order first spent.</summary>
    public SpentMessages Spent { get; } = new();

    private readonly string _path;

    private GeminiChat(string path) => _path = path;

    /// <summary>Whether the message with this id is in the transcript after replay.</summary>
    public bool Contains(string id) => Messages.IndexOf(GeminiMessageList.Hash(id)) >= 0;

    /// <summary>Whether the message with this id hash is in the transcript after replay.</summary>
    internal bool Contains(ulong id) => Messages.IndexOf(id) >= 0;

    /// <summary>Reads the messages back from the file where the replay found them.</summary>
    public GeminiMessages Open() => new(_path);

    public static GeminiChat Read(string path, UnknownRecords unknown)
    {
        var chat = new GeminiChat(path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            chat.ReadDocument();
            return chat;
        }
        using var lines = new JsonlLines(path);
        while (lines.MoveNext())
        {
            try { chat.Apply(lines.Current, lines.Offset, unknown); }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException) { unknown.Add(GeminiReader.Agent, "(unparsable line)"); }
        }
        return chat;
    }

    private void Apply(ReadOnlyMemory<byte> raw, long offset, UnknownRecords unknown)
    {
        var reader = new System.Text.Json.Utf8JsonReader(raw.Span, PyJsonTranscoder.ReaderOptions);
        if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) throw new FormatException("not a JSON object");
        var line = new RawJsonObject(raw, RawJsonObject.ReadSlots(ref reader));
        if (line.TryGet("$rewindTo"u8, out RawJsonValue target))
        {
            int at = IndexOf(target.GetString());
            Truncate(at < 0 ? 0 : at);
            return;
        }
        if (line.TryGet("id"u8, out RawJsonValue idValue) && idValue.IsString)
        {
            Upsert(line, offset);
            return;
        }
        if (line.TryGet("$set"u8, out RawJsonValue set) && set.IsObject)
        {
            Metadata(set.AsObject(), offset, raw);
            return;
        }
        if (line.TryGet("sessionId"u8, out _) && line.TryGet("projectHash"u8, out _))
        {
            Metadata(line, offset, raw);
            return;
        }
        unknown.Add(GeminiReader.Agent, line.GetString("type"u8) is { Length: > 0 } t ? t : "(line without id, $set or $rewindTo)");
    }

    /// <summary>Merges metadata; <paramref name="offset"/> is where <paramref name="whole"/> (the line or document holding <paramref name="o"/>) starts in the file.</summary>
    private void Metadata(RawJsonObject o, long offset, ReadOnlyMemory<byte> whole)
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
                    foreach (RawJsonValue m in RawJsonObject.Elements(v))
                    {
                        if (m.IsObject) Upsert(m.AsObject(), offset + Start(m.Raw) - Start(whole));
                    }
                    break;
            }
        }
    }

    /// <summary>Where a slice starts in the array it was cut from (lines and documents are always array-backed).</summary>
    private static int Start(ReadOnlyMemory<byte> part) =>
        MemoryMarshal.TryGetArray(part, out ArraySegment<byte> segment) ? segment.Offset : throw new InvalidOperationException("a JSON slice without its array");

    private void Upsert(RawJsonObject message, long offset)
    {
        ulong id = GeminiMessageList.Hash(message.GetString("id"u8));
        bool hasModel = message.TryGet("model"u8, out RawJsonValue model) && model.IsString && model.Raw.Length > 0;
        Messages.Upsert(id, offset, message.Raw.Length, hasModel);
        if (id != 0 && message.TryGet("type"u8, out RawJsonValue type) && type.Raw.Span.SequenceEqual("gemini"u8)
            && message.GetObject("tokens"u8).Raw.Length > 2) Spent.Set(id, offset, message.Raw.Length, hasModel);
    }

    /// <summary>Where the message with this id is (ids are unique in the list: a rewrite replaces in place), else -1.</summary>
    private int IndexOf(string id) => Messages.IndexOf(GeminiMessageList.Hash(id));

    /// <summary>Removes the messages from <paramref name="at"/> on (their ids no longer count as in the transcript).</summary>
    private void Truncate(int at) => Messages.Truncate(at);
}

/// <summary>Where one message's last write sits: its bytes in the file (or legacy document), and whether it names a model.</summary>
/// <remarks>A class, not a struct: collections of a struct would each add their own compiled copy to the binary.</remarks>
public sealed class GeminiMessage(long offset, int length, bool hasModel)
{
    public long Offset { get; } = offset;
    public int Length { get; } = length;
    public bool HasModel { get; } = hasModel;

    public bool Same(GeminiMessage other) => Offset == other.Offset && Length == other.Length;
}
