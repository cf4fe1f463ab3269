using System.Text.Json;
using System.Text.RegularExpressions;
using AgentStrace.Analysis;
using AgentStrace.Compliance;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

public sealed class EuAiActPackageTests
{
    [Test]
    public async Task Write_SampleStore_UpstreamShapeAndRootHashes()
    {
        using var doc = JsonDocument.Parse(PackageFixture.Build());
        JsonElement root = doc.RootElement;
        string[] top = root.EnumerateObject().Select(p => p.Name).ToArray();
        await Assert.That(top).IsEquivalentTo(new[] { "compliance_metadata", "article_12", "article_13", "sessions", "integrity_manifest" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        JsonElement meta = root.GetProperty("compliance_metadata");
        await Assert.That(meta.GetProperty("regulation").GetString()).IsEqualTo("EU AI Act (Regulation (EU) 2024/1689)");
        await Assert.That(meta.GetProperty("session_count").GetInt32()).IsEqualTo(3);
        await Assert.That(meta.GetProperty("exported_at").GetString()).IsEqualTo("2026-11-18T11:06:40.250000Z");

        var roots = new Dictionary<string, string>();
        foreach (JsonElement s in root.GetProperty("sessions").EnumerateArray())
        {
            JsonElement integrity = s.GetProperty("article_12").GetProperty("trace_integrity");
            roots[s.GetProperty("session_id").GetString()!] = integrity.GetProperty("root_hash").GetString()!;
            await Assert.That(integrity.GetProperty("hash_chain_valid").GetBoolean()).IsTrue();
            await Assert.That(integrity.GetProperty("broken_at").ValueKind).IsEqualTo(JsonValueKind.Null);
        }
        await Assert.That(roots["9f1c2b7e-5a4d-4c"]).IsEqualTo("f0dfec7915b9fffd8faa3c728279d043946bd52d9e9b1092ca8a5dad21c392e8");
        await Assert.That(roots["b41d7e09c2a84f65"]).IsEqualTo("6c219f7c50426756413e650305b33d0db3c0d0780f5aa60de9778e6a461c9337");
        await Assert.That(roots["c7a05e3f91d24b68"]).IsEqualTo("cf24891f923f28a567d3dfb3c2c60d97bf92b8a9c30cd11342abe8838ba37eb9");

        JsonElement first = root.GetProperty("sessions")[0].GetProperty("article_12").GetProperty("events")[0];
        string[] keys = first.EnumerateObject().Select(p => p.Name).ToArray();
        await Assert.That(keys).IsEquivalentTo(new[] { "seq", "timestamp", "event_type", "event_id", "tool_name", "input_summary", "output_summary", "duration_ms", "cost_usd", "prev_hash", "line_hash", "line_number", "raw_line" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // The top-level copy keeps upstream's exact event shape.
        JsonElement copy = root.GetProperty("article_12").GetProperty("logging_obligations")[0].GetProperty("events")[0];
        await Assert.That(copy.EnumerateObject().Count()).IsEqualTo(11);
    }

    [Test]
    [Arguments("9f1c2b7e-5a4d-4c", 304, 247, 0.004617)]
    [Arguments("b41d7e09c2a84f65", 98, 95, 0.001719)]
    [Arguments("c7a05e3f91d24b68", 133, 146, 0.002589)]
    public async Task EventCost_SampleSessions_MatchExpectedHeuristic(string id, long input, long output, double dollars)
    {
        long totalIn = 0, totalOut = 0;
        double sum = 0;
        foreach (TraceEvent e in EventReader.ReadFile(Path.Combine(Repo.SampleStore, id, "events.ndjson")))
        {
            var (i, o) = HeuristicUsage.Tokens(e);
            totalIn += i;
            totalOut += o;
            sum += PyFloat.Round(HeuristicUsage.Dollars(e), 8);
        }
        await Assert.That(totalIn).IsEqualTo(input);
        await Assert.That(totalOut).IsEqualTo(output);
        await Assert.That(Math.Round(HeuristicUsage.Dollars(totalIn, totalOut), 6)).IsEqualTo(dollars);
        await Assert.That(Math.Abs(sum - dollars)).IsLessThan(1e-6);
    }

    [Test]
    public async Task Package_CostAndSummariesPerEvent_FollowUpstreamRules()
    {
        using var doc = JsonDocument.Parse(PackageFixture.Build());
        JsonElement events = doc.RootElement.GetProperty("sessions").EnumerateArray()
            .First(s => s.GetProperty("session_id").GetString() == "c7a05e3f91d24b68").GetProperty("article_12").GetProperty("events");
        JsonElement prompt = events[1];
        await Assert.That(prompt.GetProperty("event_type").GetString()).IsEqualTo("user_prompt");
        await Assert.That(prompt.GetProperty("input_summary").GetString()).IsEqualTo("{\"prompt\": \"Customer #4411 says their refund never arrived. Find out why and reply.\"}");
        // len(json.dumps(data)) = 85 -> 21 tokens -> 21 * $3/M
        await Assert.That(prompt.GetProperty("cost_usd").GetDouble()).IsEqualTo(6.3e-05);
        await Assert.That(prompt.GetProperty("timestamp").GetString()).IsEqualTo("2026-05-07T09:15:00.091332Z");
        foreach (JsonElement e in events.EnumerateArray())
        {
            string type = e.GetProperty("event_type").GetString()!;
            bool output = type is "assistant_response" or "llm_response" or "tool_result";
            await Assert.That(e.GetProperty(output ? "input_summary" : "output_summary").GetString()).IsEqualTo("");
        }
    }

    [Test]
    public async Task Summary_SortsKeysEscapesAndTruncates()
    {
        var data = new RawJsonObject("{\"b\":1,\"a\":{\"z\":\"é\",\"y\":[2.50,true,null]}}"u8.ToArray());
        await Assert.That(Summary.Of(data)).IsEqualTo("{\"a\": {\"y\": [2.5, true, null], \"z\": \"\\u00e9\"}, \"b\": 1}");
        var longData = new RawJsonObject(System.Text.Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', 300) + "\"}"));
        string s = Summary.Of(longData);
        await Assert.That(s.Length).IsEqualTo(243);
        await Assert.That(s).EndsWith("xxx...");
        await Assert.That(Summary.Of(longData, 180).Length).IsEqualTo(183);
    }

    [Test]
    public async Task Summary_RepeatedNames_KeepTheLast_AndSortByCodePoint()
    {
        // Plain ASCII names (sorted as bytes), and an escaped or non-ASCII name (sorted as decoded strings): same rules.
        var plain = new RawJsonObject("{\"b\":1,\"a\":{\"d\":[1,{\"z\":1,\"y\":2}],\"c\":\"x\"},\"b\":2,\"B\":3,\"_\":0}"u8.ToArray());
        await Assert.That(Summary.SortedDumps(plain.Raw)).IsEqualTo("{\"B\": 3, \"_\": 0, \"a\": {\"c\": \"x\", \"d\": [1, {\"y\": 2, \"z\": 1}]}, \"b\": 2}");
        var mixed = new RawJsonObject("{\"\\u00e9\":1,\"a\":2,\"\\u00e9\":3,\"\\ud83d\\ude00\":4,\"\\uffff\":5}"u8.ToArray());
        await Assert.That(Summary.SortedDumps(mixed.Raw)).IsEqualTo("{\"a\": 2, \"\\u00e9\": 3, \"\\uffff\": 5, \"\\ud83d\\ude00\": 4}");
    }

    [Test]
    public async Task Summary_OfAHugeEscapedString_IsTheHeadOfItsDump()
    {
        // Each \u0041 is 6 bytes of the token and one char of the dump: the cut token must still fill the summary.
        string escapes = string.Concat(Enumerable.Repeat("\\u0041", 5000));
        var data = new RawJsonObject(System.Text.Encoding.UTF8.GetBytes("{\"k\":\"" + escapes + "\"}"));
        await Assert.That(Summary.Of(data)).IsEqualTo("{\"k\": \"" + new string('A', 240 - 7) + "...");
        var newlines = new RawJsonObject(System.Text.Encoding.UTF8.GetBytes("{\"k\":\"" + string.Concat(Enumerable.Repeat("\\n", 5000)) + "\"}"));
        await Assert.That(Summary.Of(newlines)).IsEqualTo("{\"k\": \"" + string.Concat(Enumerable.Repeat("\\n", 116)) + "\\...");
    }

    [Test]
    [Arguments(1778140800.412337, "2026-05-07T08:00:00.412337Z")]
    [Arguments(1778140800.0, "2026-05-07T08:00:00Z")]
    [Arguments(1778140804.5305412, "2026-05-07T08:00:04.530541Z")]
    [Arguments(1778140800.9999996, "2026-05-07T08:00:01Z")]
    public async Task Iso_MatchesPythonIsoformat(double ts, string expected)
    {
        await Assert.That(PyTime.Iso(ts)).IsEqualTo(expected);
    }

    [Test]
    public async Task Iso_FalsyTimestamp_IsNull()
    {
        await Assert.That(PyTime.Iso(0)).IsNull();
    }

    [Test]
    public async Task Write_TwiceAtDifferentTimes_SameBytesApartFromTimestamps()
    {
        string a = PackageFixture.Build(now: PackageFixture.Now), b = PackageFixture.Build(now: PackageFixture.Now + 3600.5);
        await Assert.That(a).IsNotEqualTo(b);
        await Assert.That(MaskTimes(a)).IsEqualTo(MaskTimes(b));
        await Assert.That(PackageFixture.Verify(a).ManifestComputed).IsEqualTo(PackageFixture.Verify(b).ManifestComputed);
    }

    [Test]
    public async Task Write_EmptySelection_SessionCountZeroAndVerifies()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        EuAiActPackage.Write([], buffer, PackageFixture.Now);
        string package = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        using var doc = JsonDocument.Parse(package);
        await Assert.That(doc.RootElement.GetProperty("compliance_metadata").GetProperty("session_count").GetInt32()).IsEqualTo(0);
        await Assert.That(doc.RootElement.GetProperty("sessions").GetArrayLength()).IsEqualTo(0);
        await Assert.That(PackageFixture.Verify(package).Ok).IsTrue();
    }

    [Test]
    public async Task Write_BrokenStore_PackageSaysSoAndVerifyFails()
    {
        using TempDir store = Repo.CopySampleStore();
        StoreTamper.EditByte(ChainVerifierTests.Events(store, "9f1c2b7e-5a4d-4c"), 5);
        string package = PackageFixture.Build(store.Path);
        using var doc = JsonDocument.Parse(package);
        JsonElement integrity = doc.RootElement.GetProperty("sessions").EnumerateArray()
            .First(s => s.GetProperty("session_id").GetString() == "9f1c2b7e-5a4d-4c").GetProperty("article_12").GetProperty("trace_integrity");
        await Assert.That(integrity.GetProperty("hash_chain_valid").GetBoolean()).IsFalse();
        await Assert.That(integrity.GetProperty("broken_at").GetInt32()).IsEqualTo(5);
        PackageVerifyResult r = PackageFixture.Verify(package);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.ManifestOk).IsTrue();
        PackageProblem link = r.LinkFailures.Single();
        await Assert.That(link.SessionId).IsEqualTo("9f1c2b7e-5a4d-4c");
        await Assert.That(link.Seq).IsEqualTo(6);
    }

    internal static string MaskTimes(string package) =>
        Regex.Replace(package, "\"(exported_at|generation_timestamp)\": \"[^\"]*\"", "\"$1\": \"*\"");

}
