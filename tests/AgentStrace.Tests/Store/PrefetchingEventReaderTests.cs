using System.Text;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Store;

/// <summary>The export reader (blocks of lines parsed in parallel) must see exactly what the plain reader sees.</summary>
public sealed class PrefetchingEventReaderTests
{
    [Test]
    [Arguments(64)]
    [Arguments(100)]
    [Arguments(4096)]
    [Arguments(64 * 1024)]
    public async Task Chunks_MatchThePlainReader_AtAnyBlockSize(int blockSize)
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "events.ndjson");
        var lines = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            lines.Add(i % 37 == 5 ? "not json" : i % 41 == 7 ? "" : i % 53 == 9
                ? $"{{\"event_type\":\"tool_call\",\"timestamp\":{i}.5,\"event_id\":\"e{i}\",\"data\":{{\"tool_name\":\"T\",\"arguments\":{{\"content\":\"{new string('x', i * 7)}\"}}}}}}\r"
                : $"{{\"event_type\":\"tool_result\",\"timestamp\":{i}.25,\"event_id\":\"e{i}\",\"parent_id\":\"p{i}\",\"data\":{{\"tool_name\":\"T\",\"result\":\"r\\n{i}\"}},\"prev_hash\":\"{i:x64}\"}}");
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n{\"event_type\":\"tool_call\",\"timest");
        var plainBad = new List<MalformedLine>();
        List<TraceEvent> plain = EventReader.ReadFile(path, plainBad.Add);

        var bad = new List<MalformedLine>();
        var read = new List<TraceEvent>();
        await foreach (var chunk in PrefetchingEventReader.ReadChunksAsync(path, bad.Add, default, blockSize)) read.AddRange(chunk);

        await Assert.That(read.Count).IsEqualTo(plain.Count);
        for (int i = 0; i < plain.Count; i++)
        {
            await Assert.That(read[i].EventId).IsEqualTo(plain[i].EventId);
            await Assert.That(read[i].Line).IsEqualTo(plain[i].Line);
            await Assert.That(read[i].Timestamp).IsEqualTo(plain[i].Timestamp);
            await Assert.That(read[i].ParentId).IsEqualTo(plain[i].ParentId);
            await Assert.That(read[i].Data.Raw.ToArray()).IsEquivalentTo(plain[i].Data.Raw.ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        }
        await Assert.That(bad.Select(b => b.ToString()).ToArray()).IsEquivalentTo(plainBad.Select(b => b.ToString()).ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(bad[^1].Reason).Contains("ends mid-line");
    }

    [Test]
    public async Task ExportMode_SlicesData_ButCopiesEventsThatWaitForTheirResult()
    {
        byte[] block = Encoding.UTF8.GetBytes(
            "{\"event_type\":\"tool_result\",\"timestamp\":1.0,\"event_id\":\"r\",\"data\":{\"result\":\"ok\"},\"prev_hash\":\"abc\"}" +
            "{\"event_type\":\"tool_call\",\"timestamp\":1.0,\"event_id\":\"c\",\"data\":{\"tool_name\":\"Bash\"}}");
        int split = Array.IndexOf(block, (byte)'}', Array.IndexOf(block, (byte)'h')) + 1;
        TraceEvent? result = EventLine.TryParse(block.AsMemory(0, split), 1, out _, EventParseMode.Export);
        TraceEvent? call = EventLine.TryParse(block.AsMemory(split), 2, out _, EventParseMode.Export);
        await Assert.That(result).IsNotNull();
        await Assert.That(call).IsNotNull();
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(result!.Data.Raw, out ArraySegment<byte> r);
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(call!.Data.Raw, out ArraySegment<byte> c);
        await Assert.That(ReferenceEquals(r.Array, block)).IsTrue();
        await Assert.That(ReferenceEquals(c.Array, block)).IsFalse();
        await Assert.That(result.PrevHash).IsEqualTo("");
        await Assert.That(EventLine.TryParse(block.AsSpan(0, split), 1, out _)!.PrevHash).IsEqualTo("abc");
        await Assert.That(ReferenceEquals(call.WithOwnData(), call)).IsTrue();
        await Assert.That(result.WithOwnData().Data.Raw.Length).IsEqualTo(result.Data.Raw.Length);
    }

    [Test]
    public async Task PeekType_ReadsOnlyTheStoredKeyOrder()
    {
        await Assert.That(EventLine.TryPeekType("{\"event_type\":\"tool_call\",\"timestamp\":1}"u8, out EventType t)).IsTrue();
        await Assert.That(t).IsEqualTo(EventType.ToolCall);
        await Assert.That(EventLine.TryPeekType("{\"event_type\": \"tool_call\"}"u8, out _)).IsFalse();
        await Assert.That(EventLine.TryPeekType("{\"timestamp\":1,\"event_type\":\"tool_call\"}"u8, out _)).IsFalse();
        await Assert.That(EventLine.TryPeekType("{\"event_type\":\"bogus\"}"u8, out _)).IsFalse();
        await Assert.That(EventLine.TryPeekType("{\"event_type\":\"tool_c"u8, out _)).IsFalse();
    }

    [Test]
    public async Task Only_SkipsRejectedTypes_AndStillParsesLinesItCannotPeek()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "events.ndjson");
        File.WriteAllText(path, string.Join("\n",
            "{\"event_type\":\"tool_call\",\"timestamp\":1.0,\"event_id\":\"a\",\"data\":{}}",
            "{\"event_type\":\"user_prompt\",\"timestamp\":2.0,\"event_id\":\"b\",\"data\":{\"prompt\":\"hi\"}}",
            "{\"timestamp\":3.0,\"event_type\":\"tool_call\",\"event_id\":\"c\",\"data\":{}}",
            "{\"event_type\":\"tool_result\",\"timestamp\":4.0,\"event_id\":\"d\",\"data\":") + "\n");
        var bad = new List<MalformedLine>();
        var read = new List<TraceEvent>();
        await foreach (var chunk in PrefetchingEventReader.ReadChunksAsync(path, bad.Add, default, only: t => t == EventType.UserPrompt)) read.AddRange(chunk);
        // The peeked tool lines are skipped unparsed (the broken one unreported); the one written in another key order is
        // parsed and kept, as the span builder ignores what it does not need.
        await Assert.That(read.Select(e => e.EventId).ToArray()).IsEquivalentTo(new[] { "b", "c" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(bad).IsEmpty();
    }

    [Test]
    public async Task LineBlocks_HoldWholeLines_AndGrowForLongOnes()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "lines.txt");
        File.WriteAllText(path, "a\nbb\n" + new string('c', 1000) + "\ndd\nlast");
        using var reader = new LineBlockReader(path, 16);
        var seen = new List<(string Text, long First, bool Terminated)>();
        while (reader.Next() is LineBlock b) seen.Add((Encoding.ASCII.GetString(b.Buffer, 0, b.Length), b.FirstLine, b.EndsTerminated));
        await Assert.That(string.Concat(seen.Select(s => s.Text))).IsEqualTo("a\nbb\n" + new string('c', 1000) + "\ndd\nlast");
        await Assert.That(seen.Take(seen.Count - 1).All(s => s.Text.EndsWith('\n') && s.Terminated)).IsTrue();
        await Assert.That(seen[^1].Text).EndsWith("last");
        await Assert.That(seen[^1].Terminated).IsFalse();
        long line = 1;
        foreach (var s in seen)
        {
            await Assert.That(s.First).IsEqualTo(line);
            line += s.Text.Count(ch => ch == '\n') + (s.Terminated ? 0 : 1);
        }
    }

    [Test]
    public async Task Slots_AnswerLikeAScan()
    {
        byte[] raw = "{\"tool_name\":\"Bash\",\"n\":12,\"args\":{\"a\":[1,{\"b\":2}]},\"t\":true,\"s\":\"x\\ny\",\"tool_name\":\"dup\"}"u8.ToArray();
        var reader = new System.Text.Json.Utf8JsonReader(raw);
        reader.Read();
        JsonPropertySlot[]? slots = RawJsonObject.ReadSlots(ref reader);
        await Assert.That(reader.TokenType).IsEqualTo(System.Text.Json.JsonTokenType.EndObject);
        var indexed = new RawJsonObject(raw, slots);
        var scanned = new RawJsonObject(raw);
        foreach (string key in new[] { "tool_name", "n", "args", "t", "s", "missing" })
        {
            byte[] name = Encoding.UTF8.GetBytes(key);
            await Assert.That(indexed.TryGet(name, out RawJsonValue a)).IsEqualTo(scanned.TryGet(name, out RawJsonValue b));
            await Assert.That(a.Kind).IsEqualTo(b.Kind);
            await Assert.That(a.Escaped).IsEqualTo(b.Escaped);
            await Assert.That(Encoding.UTF8.GetString(a.Raw.Span)).IsEqualTo(Encoding.UTF8.GetString(b.Raw.Span));
        }
        var names = new List<string>();
        foreach (RawJsonObject.RawProperty p in indexed.EnumerateProperties()) names.Add(p.NameString() + "=" + p.Value.ToPythonStr());
        var scannedNames = scanned.Properties().Select(p => p.Key + "=" + p.Value.ToPythonStr()).ToList();
        await Assert.That(names).IsEquivalentTo(scannedNames, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task NestedSlots_AnswerLikeAScan()
    {
        byte[] raw = "{\"tool_name\":\"Edit\",\"arguments\":{\"file_path\":\"/a\",\"n\":[1,2],\"o\":{\"deep\":1},\"s\":\"x\\ty\"},\"x\":[{\"a\":1}]}"u8.ToArray();
        var reader = new System.Text.Json.Utf8JsonReader(raw);
        reader.Read();
        var indexed = new RawJsonObject(raw, RawJsonObject.ReadSlots(ref reader));
        var scanned = new RawJsonObject(raw);
        var a = new List<string>();
        foreach (RawJsonObject.RawProperty p in indexed.GetObject("arguments"u8).EnumerateProperties()) a.Add(p.NameString() + "=" + p.Value.ToPythonStr());
        var b = new List<string>();
        foreach (RawJsonObject.RawProperty p in scanned.GetObject("arguments"u8).EnumerateProperties()) b.Add(p.NameString() + "=" + p.Value.ToPythonStr());
        await Assert.That(a).IsEquivalentTo(b, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(a.Count).IsEqualTo(4);
        await Assert.That(indexed.GetObject("arguments"u8).GetObject("o"u8).GetInt64("deep"u8)).IsEqualTo(1L);
        await Assert.That(indexed.GetObject("x"u8).Raw.ToArray()).IsEquivalentTo(RawJsonObject.Empty.Raw.ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(indexed.GetObject("missing"u8).Raw.Length).IsEqualTo(2);
    }

    [Test]
    public async Task Slots_AreNotRecorded_ForEscapedNames()
    {
        byte[] raw = "{\"a\\u0062\":1}"u8.ToArray();
        var reader = new System.Text.Json.Utf8JsonReader(raw);
        reader.Read();
        await Assert.That(RawJsonObject.ReadSlots(ref reader)).IsNull();
        await Assert.That(new RawJsonObject(raw, null).GetInt64("ab"u8)).IsEqualTo(1L);
    }
}
