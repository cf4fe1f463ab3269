using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Compliance;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

public sealed class PackageVerifierTests
{
    private const string C = "c7a05e3f91d24b68";
    private static readonly string s_package = PackageFixture.Build();

    [Test]
    public async Task Verify_CleanPackage_Ok()
    {
        PackageVerifyResult r = PackageFixture.Verify(s_package);
        await Assert.That(r.Ok).IsTrue();
        await Assert.That(r.ManifestOk).IsTrue();
        await Assert.That(r.CheckedSessions).IsEqualTo(3);
        await Assert.That(r.CheckedEvents).IsEqualTo(37);
    }

    [Test]
    public async Task Verify_SyntaxErrorInsideEvents_NamesTheByteAfterTheLastGoodToken()
    {
        // Tokens are read ahead in batches: the error is still reported where reading stopped, after the events before it.
        int sessions = s_package.IndexOf("\"sessions\": ", StringComparison.Ordinal);
        int member = s_package.IndexOf("\"duration_ms\": ", s_package.IndexOf("\"seq\": 3,", sessions, StringComparison.Ordinal), StringComparison.Ordinal);
        int comma = s_package.IndexOf(',', member);
        PackageVerifyResult r = PackageFixture.Verify(s_package[..comma] + ";" + s_package[(comma + 1)..]);
        long at = System.Text.Encoding.UTF8.GetByteCount(s_package.AsSpan(0, comma));
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.Problems.Any(p => p.Field == "package" && p.Message.StartsWith($"not valid JSON near byte {at}:", StringComparison.Ordinal))).IsTrue();
        await Assert.That(r.CheckedSessions).IsEqualTo(1);
        await Assert.That(r.CheckedEvents).IsEqualTo(3);
    }

    [Test]
    public async Task Verify_EditedByteInRawLine_NamesEventAndField()
    {
        int i = s_package.IndexOf("\"raw_line\": \"", StringComparison.Ordinal) + 40;
        string tampered = s_package[..i] + (s_package[i] == 'x' ? 'y' : 'x') + s_package[(i + 1)..];
        PackageVerifyResult r = PackageFixture.Verify(tampered);
        await Assert.That(r.Ok).IsFalse();
        PackageProblem p = r.Problems.First();
        await Assert.That(p.SessionId).IsEqualTo(C);
        await Assert.That(p.Seq).IsEqualTo(1);
        await Assert.That(p.Field).IsEqualTo("raw_line");
        await Assert.That(r.ManifestOk).IsFalse();
    }

    [Test]
    public async Task Verify_EditedSummaryInSessions_NamesSeqAndField()
    {
        const string Summary = "\"input_summary\": \"{\\\"prompt\\\": \\\"Customer";
        int i = s_package.LastIndexOf(Summary, StringComparison.Ordinal) + Summary.Length - "Customer".Length;
        string tampered = s_package[..i] + "K" + s_package[(i + 1)..];
        PackageVerifyResult r = PackageFixture.Verify(tampered);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.Problems.Any(p => p.SessionId == C && p.Seq == 2 && p.Field == "input_summary")).IsTrue();
        await Assert.That(r.Problems.Any(p => p.Field == "raw_line")).IsFalse();
        await Assert.That(r.ManifestOk).IsFalse();
    }

    [Test]
    public async Task Verify_EditedSummaryInTopLevelCopy_NamesSection()
    {
        int i = s_package.IndexOf("Customer #4411", StringComparison.Ordinal);
        string tampered = s_package[..i] + "K" + s_package[(i + 1)..];
        PackageVerifyResult r = PackageFixture.Verify(tampered);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.Problems.Any(p => p.SessionId == C && p.Field == "article_12.logging_obligations")).IsTrue();
    }

    [Test]
    [Arguments("cost_usd", "0.5")]
    [Arguments("tool_name", "\"rm\"")]
    [Arguments("timestamp", "\"2026-05-07T09:15:01Z\"")]
    [Arguments("event_type", "\"decision\"")]
    public async Task Verify_EditedEventField_NamesIt(string field, string json)
    {
        JsonNode root = JsonNode.Parse(s_package)!;
        JsonNode ev = root["sessions"]![0]!["article_12"]!["events"]![2]!;
        ev[field] = JsonNode.Parse(json);
        PackageVerifyResult r = PackageFixture.Verify(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.Problems.Any(p => p.SessionId == C && p.Seq == 3 && p.Field == field)).IsTrue();
    }

    [Test]
    public async Task Verify_DeletedEvent_NamesGap()
    {
        JsonNode root = JsonNode.Parse(s_package)!;
        root["sessions"]![0]!["article_12"]!["events"]!.AsArray().RemoveAt(4);
        PackageVerifyResult r = Verify(root);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.Problems.Any(p => p.SessionId == C && p.Seq == 6 && p.Field == "seq")).IsTrue();
        await Assert.That(r.LinkFailures.Any(p => p.SessionId == C && p.Seq == 6)).IsTrue();
        await Assert.That(r.Problems.Any(p => p.Field == "trace_integrity.event_count")).IsTrue();
    }

    [Test]
    public async Task Verify_SwappedEvents_NamesBrokenLinks()
    {
        JsonNode root = JsonNode.Parse(s_package)!;
        JsonArray events = root["sessions"]![0]!["article_12"]!["events"]!.AsArray();
        JsonNode a = events[3]!, b = events[4]!;
        events.RemoveAt(4);
        events.RemoveAt(3);
        events.Insert(3, b);
        events.Insert(4, a);
        PackageVerifyResult r = Verify(root);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.LinkFailures.Any(p => p.SessionId == C && p.Seq == 5)).IsTrue();
        await Assert.That(r.Problems.Any(p => p.Field == "line_number")).IsTrue();
    }

    [Test]
    public async Task Verify_InsertedForgedEventWithCorrectLinks_CaughtByManifest()
    {
        // A forger who appends an event and fixes every hash and count still changes the bytes the manifest covers.
        JsonNode root = JsonNode.Parse(s_package)!;
        JsonNode session = root["sessions"]![0]!;
        JsonArray events = session["article_12"]!["events"]!.AsArray();
        string lastHash = events[^1]!["line_hash"]!.GetValue<string>();
        string raw = "{\"event_type\":\"decision\",\"timestamp\":1778145400.5,\"event_id\":\"f0f0f0f0f0f0\",\"data\":{\"choice\":\"ok\"},\"prev_hash\":\"" + lastHash + "\"}";
        string rawHash = AgentStrace.Model.Ids.Sha256Hex(raw);
        events.Add(new JsonObject
        {
            ["seq"] = 15, ["timestamp"] = "2026-05-07T09:16:40.500000Z", ["event_type"] = "decision", ["event_id"] = "f0f0f0f0f0f0",
            ["tool_name"] = "", ["input_summary"] = "{\"choice\": \"ok\"}", ["output_summary"] = "", ["duration_ms"] = null,
            ["cost_usd"] = 0.0, ["prev_hash"] = lastHash, ["line_hash"] = rawHash, ["line_number"] = 15, ["raw_line"] = raw,
        });
        session["article_12"]!["trace_integrity"]!["event_count"] = 15;
        session["article_12"]!["trace_integrity"]!["root_hash"] = rawHash;
        PackageVerifyResult r = Verify(root);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.ManifestOk).IsFalse();
        await Assert.That(r.Problems.Any(p => p.Field == "integrity_manifest.package_sha256")).IsTrue();
    }

    [Test]
    public async Task Verify_TruncatedPackage_Fails()
    {
        PackageVerifyResult r = PackageFixture.Verify(s_package[..(s_package.Length / 2)]);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.Problems[0].Field).IsEqualTo("package");
        await Assert.That(r.Problems[0].Message).Contains("truncated");
    }

    [Test]
    public async Task Verify_TrailingBytesOrMissingManifest_Fails()
    {
        await Assert.That(PackageFixture.Verify(s_package + "{}").Ok).IsFalse();
        JsonNode root = JsonNode.Parse(s_package)!;
        root.AsObject().Remove("integrity_manifest");
        PackageVerifyResult r = Verify(root);
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.Problems.Single().Field).IsEqualTo("integrity_manifest");
    }

    [Test]
    public async Task Verify_WhitespaceInserted_CaughtByManifest()
    {
        PackageVerifyResult r = PackageFixture.Verify(s_package.Replace("\"sessions\": [", "\"sessions\":  [", StringComparison.Ordinal));
        await Assert.That(r.Ok).IsFalse();
        await Assert.That(r.Problems.Single().Field).IsEqualTo("integrity_manifest.package_sha256");
    }

    [Test]
    public async Task Verify_ChangedTimestampsOnly_StillOk()
    {
        string retimed = System.Text.RegularExpressions.Regex.Replace(s_package, "\"(exported_at|generation_timestamp)\": \"[^\"]*\"", "\"$1\": \"2030-01-01T00:00:00Z\"");
        await Assert.That(PackageFixture.Verify(retimed).Ok).IsTrue();
    }

    [Test]
    public async Task Verify_StoreWithMalformedLine_PackageStillVerifies()
    {
        using var store = Repo.CopySampleStore();
        string path = ChainVerifierTests.Events(store, C);
        var lines = StoreTamper.Lines(path).ToList();
        lines.Insert(6, "{torn write");
        StoreTamper.Write(path, lines);
        string package = PackageFixture.Build(store.Path);
        using var doc = JsonDocument.Parse(package);
        JsonElement integrity = doc.RootElement.GetProperty("sessions")[0].GetProperty("article_12").GetProperty("trace_integrity");
        await Assert.That(integrity.GetProperty("unparsed_lines").GetInt32()).IsEqualTo(1);
        await Assert.That(integrity.GetProperty("event_count").GetInt32()).IsEqualTo(14);
        await Assert.That(integrity.GetProperty("hash_chain_valid").GetBoolean()).IsTrue();
        await Assert.That(PackageFixture.Verify(package).Ok).IsTrue();
    }

    // Re-serialised packages always differ in bytes; the tests above check that the specific problem is also named.
    private static PackageVerifyResult Verify(JsonNode root) =>
        PackageFixture.Verify(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}
