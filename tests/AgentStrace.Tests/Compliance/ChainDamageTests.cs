using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using AgentStrace.Compliance;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

/// <summary>Honest verdicts on damaged stores: a torn tail is named as such and never counted as an event, and lines
/// holding Python's NaN/Infinity parse, hash and verify.</summary>
public sealed class ChainDamageTests
{
    private static string Hash(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    /// <summary>A linked chain of <paramref name="n"/> events, the i-th line built by <paramref name="body"/>.</summary>
    private static List<string> Chain(int n, Func<int, string>? body = null)
    {
        var lines = new List<string>();
        for (int i = 0; i < n; i++)
        {
            string data = body?.Invoke(i) ?? "{\"prompt\":\"p" + i + "\"}";
            string prev = i == 0 ? "" : ",\"prev_hash\":\"" + Hash(lines[^1]) + "\"";
            lines.Add("{\"event_type\":\"user_prompt\",\"timestamp\":1778140800." + i + ",\"event_id\":\"e" + i + "\",\"session_id\":\"s1\",\"data\":" + data + prev + "}");
        }
        return lines;
    }

    private static string Render(ChainResult r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ChainReport.Text(r, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Test]
    public async Task TornTail_IsNamedAndNotCountedAsAnEvent()
    {
        using var t = new TempDir();
        string path = Path.Combine(t.Path, "events.ndjson");
        List<string> lines = Chain(5);
        File.WriteAllText(path, string.Join("\n", lines) + "\n" + "{\"event_type\":\"user_prompt\",\"timestamp\":1778140900.0,\"data\":{\"prompt\":\"half wr");
        ChainResult r = ChainVerifier.Verify("s1", path);
        await Assert.That(r.TotalEvents).IsEqualTo(5);
        await Assert.That(r.UnparsableLines).IsEqualTo(1);
        await Assert.That(r.TornTailLine).IsEqualTo(6);
        await Assert.That(Render(r)).Contains("✅ Chain intact — 5 events verified").And.Contains("events.ndjson line 6: torn tail, crash during append");
    }

    [Test]
    public async Task GarbageLastLineWithNewline_IsSkippedNotTorn()
    {
        using var t = new TempDir();
        string path = Path.Combine(t.Path, "events.ndjson");
        File.WriteAllText(path, string.Join("\n", Chain(3)) + "\nGARBAGE\n");
        ChainResult r = ChainVerifier.Verify("s1", path);
        await Assert.That(r.TotalEvents).IsEqualTo(3);
        await Assert.That(r.TornTailLine).IsEqualTo(0L);
        await Assert.That(Render(r)).Contains("events.ndjson line 4: not a JSON event, skipped");
    }

    [Test]
    public async Task TornTail_IsRepairedByTheNextAppend_AndTheChainStaysIntact()
    {
        using var t = new TempDir();
        string path = Path.Combine(t.Path, "events.ndjson");
        File.WriteAllText(path, string.Join("\n", Chain(3)) + "\n{\"event_type\":\"user_pro");
        var e = new EventBuilder();
        e.Data.WriteString("prompt", "after the crash");
        new EventWriter(t.Path).Append(e.Build(Model.EventType.UserPrompt, "s1", 1778140999.0));
        ChainResult r = ChainVerifier.Verify("s1", path);
        await Assert.That(r.Ok).IsTrue();
        await Assert.That(r.TotalEvents).IsEqualTo(4);
        await Assert.That(r.TornTailLine).IsEqualTo(0L); // no longer the last line: a skipped line in the middle
        await Assert.That(r.UnparsableLineNumbers).IsEquivalentTo(new long[] { 4 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    [Arguments("NaN")]
    [Arguments("Infinity")]
    [Arguments("-Infinity")]
    public async Task PythonNonFiniteNumbers_ParseHashAndVerify(string literal)
    {
        using var t = new TempDir();
        string path = Path.Combine(t.Path, "events.ndjson");
        List<string> lines = Chain(4, i => i == 1 ? "{\"prompt\":\"NaN and Infinity in a string stay\",\"score\":" + literal + ",\"list\":[1," + literal + "]}" : "{\"prompt\":\"p\"}");
        lines[1] = lines[1].Replace("\"data\"", "\"duration_ms\":" + literal + ",\"data\"", StringComparison.Ordinal);
        // Re-link after the edit.
        for (int i = 2; i < lines.Count; i++) lines[i] = lines[i][..lines[i].IndexOf(",\"prev_hash\"", StringComparison.Ordinal)] + ",\"prev_hash\":\"" + Hash(lines[i - 1]) + "\"}";
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        ChainResult r = ChainVerifier.Verify("s1", path);
        await Assert.That(r.Ok).IsTrue().Because(Render(r));
        await Assert.That(r.TotalEvents).IsEqualTo(4);
        await Assert.That(r.UnparsableLines).IsEqualTo(0);
        var parsed = EventLine.TryParse(Encoding.UTF8.GetBytes(lines[1]), 2, out string? error);
        await Assert.That(parsed).IsNotNull().Because(error ?? "");
        await Assert.That(parsed!.DurationMs).IsNull();
        await Assert.That(parsed.Data.GetString("prompt"u8)).IsEqualTo("NaN and Infinity in a string stay");
    }
}
