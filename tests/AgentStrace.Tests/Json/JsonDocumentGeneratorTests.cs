using System.Text;
using System.Text.Json;
using AgentStrace.Json.Documents;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Json;

/// <summary>
/// The code JsonDocumentGenerator emits for the <c>[JsonDocument]</c> classes: the bytes are those System.Text.Json's
/// source-generated serializer wrote for the same values (the goldens below were captured from it), and reading is as
/// strict: wrong token types and missing required names are one-line errors with the JSON path, unknown names skipped.
/// </summary>
public sealed partial class JsonDocumentGeneratorTests
{
    // Documents typed as object and cast: dotnet format's workspace runs no generators, so it must see no conversion to IJsonDocument.
    private static string Text(object doc, bool indented = true) => Encoding.UTF8.GetString(DocumentJson.ToBytes(((IJsonDocument)doc).Write, indented));

    private static string Error(Action parse)
    {
        JsonException? ex = Assert.Throws<JsonException>(parse);
        return DocumentJson.Describe(ex!);
    }

    [Test]
    public async Task EveryDocument_WritesTheSerializersBytes()
    {
        foreach (var (name, doc, indented, expected) in Goldens())
        {
            await Assert.That(Text(doc, indented)).IsEqualTo(expected).Because(name);
        }
    }

    [Test]
    public async Task SessionList_IsWrittenAsPythonWritesMetaJson()
    {
        foreach (var (items, expected) in new[] { (SessionList(), GoldenList), ([], "[]") })
        {
            await Assert.That(ListText(items)).IsEqualTo(expected);
        }
    }

    // As SessionViews.ListJson writes the list.
    private static string ListText(IEnumerable<object> items)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var w = new AgentStrace.Json.PyJsonWriter(buffer, AgentStrace.Json.PyJsonStyle.Indented);
        w.WriteStartArray();
        foreach (object item in items) ((IPyJsonDocument)item).Write(w);
        w.WriteEndArray();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Test]
    public async Task EveryDocument_RoundTrips()
    {
        foreach (var (name, doc, indented, expected) in Goldens())
        {
            byte[] bytes = Encoding.UTF8.GetBytes(expected);
            // A required property set to null is left out when written, so it does not read back (as with the
            // serializer); the product always sets ship state's last_error and an outbox entry's session_id.
            if (name is "ship" or "outbox_null")
            {
                await Assert.That(Error(() => _ = doc is ShipStateDocument ? ShipStateDocument.Parse(bytes) : (object)OutboxDocument.Parse(bytes))).Contains("missing required properties");
                continue;
            }
            object again = doc switch
            {
                CheckpointDocument => CheckpointDocument.Parse(bytes),
                ShipStateDocument => ShipStateDocument.Parse(bytes),
                OutboxDocument => OutboxDocument.Parse(bytes),
                WatchStatusDocument => WatchStatusDocument.Parse(bytes),
                PostmortemDocument => PostmortemDocument.Parse(bytes),
                StatsDocument => StatsDocument.Parse(bytes),
                ScoreBatchDocument => ScoreBatchDocument.Parse(bytes),
                _ => throw new InvalidOperationException(name),
            };
            await Assert.That(Text(again, indented)).IsEqualTo(expected).Because(name);
        }
        foreach (SessionListDocument item in SessionList())
        {
            string text = ListText([item]);
            await Assert.That(ListText([SessionListDocument.Parse(Encoding.UTF8.GetBytes(text[1..^1]))])).IsEqualTo(text);
        }
    }

    [Test]
    public async Task Read_KeepsDefaults_AndTakesTheLastOfADuplicate()
    {
        CheckpointDocument c = CheckpointDocument.Parse("{\"spool_generation\":1,\"spool_acked\":2,\"spool_acked\":5,\"sessions\":{}}"u8);
        await Assert.That(c.Version).IsEqualTo(1);
        await Assert.That(c.SpoolAcked).IsEqualTo(5);
        WatchStatusDocument s = WatchStatusDocument.Parse("{}"u8);
        await Assert.That(s.LastEventAt).IsNull();
        await Assert.That(s.Destination).IsNull();
    }

    [Test]
    public async Task Read_SkipsUnknownNames_OfAnyShape()
    {
        CheckpointDocument c = CheckpointDocument.Parse(
            "{\"x\":{\"a\":[1,{\"b\":null}],\"c\":\"d\"},\"spool_generation\":1,\"y\":[[]],\"spool_acked\":2,\"Sessions\":3,\"sessions\":{\"s\":{\"offset\":7,\"finished\":false,\"extra\":true}}}"u8);
        await Assert.That(c.Sessions["s"].Offset).IsEqualTo(7);
    }

    [Test]
    public async Task Read_NamesEscapedInTheFile_Match()
    {
        PostmortemDocument p = PostmortemDocument.Parse("{\"\\u0072eason\": \"budget \\u00e9\"}"u8);
        await Assert.That(p.Reason).IsEqualTo("budget é");
    }

    [Test]
    [Arguments("{\"spool_generation\": 1, \"spool_acked\": 2}", "JSON deserialization for type 'AgentStrace.Json.Documents.CheckpointDocument' was missing required properties including: 'sessions'")]
    [Arguments("{\"sessions\": {}}", "JSON deserialization for type 'AgentStrace.Json.Documents.CheckpointDocument' was missing required properties including: 'spool_generation', 'spool_acked'")]
    [Arguments("{\"spool_generation\": 1, \"spool_acked\": 2, \"sessions\": {\"s\": {\"offset\": 1}}}", "JSON deserialization for type 'AgentStrace.Json.Documents.SessionOffsetDocument' was missing required properties including: 'finished' at $.sessions.s")]
    [Arguments("{\"spool_generation\": \"one\", \"spool_acked\": 2, \"sessions\": {}}", "The JSON value could not be converted to System.Int64 at $.spool_generation")]
    [Arguments("{\"spool_generation\": 1, \"spool_acked\": 2, \"sessions\": {\"s\": {\"offset\": 1.5, \"finished\": true}}}", "The JSON value could not be converted to System.Int64 at $.sessions.s.offset")]
    [Arguments("{\"spool_generation\": 1, \"spool_acked\": 2, \"sessions\": {\"a.b\": {\"offset\": 1, \"finished\": 1}}}", "The JSON value could not be converted to System.Boolean at $.sessions['a.b'].finished")]
    [Arguments("{\"version\": 2147483648, \"spool_generation\": 1, \"spool_acked\": 2, \"sessions\": {}}", "The JSON value could not be converted to System.Int32 at $.version")]
    [Arguments("{\"spool_generation\": 1, \"spool_acked\": 2, \"sessions\": null}", "The JSON value could not be converted to System.Collections.Generic.Dictionary<string, AgentStrace.Json.Documents.SessionOffsetDocument> at $.sessions")]
    [Arguments("{\"spool_generation\": 1, \"spool_acked\": 2, \"sessions\": {\"s\": []}}", "The JSON value could not be converted to AgentStrace.Json.Documents.SessionOffsetDocument at $.sessions.s")]
    [Arguments("[1, 2]", "The JSON value could not be converted to AgentStrace.Json.Documents.CheckpointDocument")]
    [Arguments("null", "the document is null")]
    public async Task Read_Damaged_SaysWhatAndWhere(string json, string expected)
    {
        await Assert.That(Error(() => CheckpointDocument.Parse(Encoding.UTF8.GetBytes(json)))).IsEqualTo(expected);
    }

    [Test]
    public async Task Read_WrongTypeInAList_NamesTheIndex()
    {
        const string Json = "{\"title\":\"t\",\"tools\":[{\"tool\":\"a\"},{\"tool\":3}],\"models\":[],\"files_written\":[],\"files_read\":[]}";
        await Assert.That(Error(() => StatsDocument.Parse(Encoding.UTF8.GetBytes(Json)))).IsEqualTo("The JSON value could not be converted to System.String at $.tools[1].tool");
        const string Strings = "{\"title\":\"t\",\"tools\":[],\"models\":[],\"files_written\":[\"a\",null],\"files_read\":[]}";
        await Assert.That(Error(() => StatsDocument.Parse(Encoding.UTF8.GetBytes(Strings)))).IsEqualTo("The JSON value could not be converted to System.String at $.files_written[1]");
    }

    [Test]
    [Arguments("{")]
    [Arguments("")]
    [Arguments("{\"reason\": \"a\"} x")]
    [Arguments("{\"reason\": \"a\",}")]
    [Arguments("{\"reason\": \"a\" /* c */}")]
    [Arguments("{\"reason\": \"\\ud800\"}")]
    [Arguments("{\"reason\": 3}")]
    public async Task Read_Malformed_IsAJsonExceptionOnOneLine(string json)
    {
        string message = Error(() => PostmortemDocument.Parse(Encoding.UTF8.GetBytes(json)));
        await Assert.That(message).IsNotEmpty();
        await Assert.That(message).DoesNotContain("\n");
    }

    [Test]
    public async Task Read_InvalidUtf8_IsAJsonException()
    {
        byte[] bytes = [.. "{\"reason\": \""u8, 0xC3, 0x28, .. "\"}"u8];
        await Assert.That(Error(() => PostmortemDocument.Parse(bytes))).IsNotEmpty();
    }

    [Test]
    public async Task Write_LeavesNullsOut_UnlessKept()
    {
        string list = ListText([new SessionListDocument { SessionId = "a", AgentName = "x", Command = "c", ParentSessionId = "" }]);
        await Assert.That(list).Contains("\"ended_at\": null");
        string outbox = Text(new OutboxDocument { SessionId = null, Offset = 1, Final = false, At = 0 }, indented: false);
        await Assert.That(outbox).IsEqualTo("{\"offset\":1,\"final\":false,\"at\":0}");
    }

    [Test]
    public async Task Product_DoesNotUseTheSerializer()
    {
        // Its machinery cost ~380 KB of the binary; documents go through the generator (docs/design-decisions.md).
        string[] banned = ["JsonSerializer.", "JsonSerializerContext", "JsonTypeInfo", "JsonSerializable"];
        var uses = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            string text = File.ReadAllText(file);
            uses.AddRange(banned.Where(b => text.Contains(b, StringComparison.Ordinal)).Select(b => Path.GetFileName(file) + ": " + b));
        }
        await Assert.That(uses).IsEmpty();
    }

    [Test]
    public async Task Write_NonFiniteNumber_Throws()
    {
        Assert.Throws<ArgumentException>(() => Text(new OutboxDocument { SessionId = "s", Offset = 1, Final = false, At = double.NaN }));
        await Task.CompletedTask;
    }
}
