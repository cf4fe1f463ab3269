using System.Security.Cryptography;
using System.Text;
using AgentStrace.Compliance;

namespace AgentStrace.Tests.Compliance;

/// <summary>The chain walk fed lines read ahead on the pool (<see cref="ChainWalker.Prepare"/>) gives what the walk
/// reading each line itself gives, for every kind of link a line can carry.</summary>
public sealed class PreparedChainTests
{
    private static string Hex(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    // Each case: lines whose prev_hash is written from the previous line's hash where "{prev}" appears.
    public static IEnumerable<Func<(string[] Lines, bool Ok)>> Cases()
    {
        yield return () => (["{\"event_id\":\"a\"}", "{\"event_id\":\"b\",\"prev_hash\":\"{prev}\"}", "{\"event_id\":\"c\",\"prev_hash\":\"{prev}\"}"], true);
        // An escaped prev_hash (its first digit as \u00XX), decoded before it is compared.
        yield return () => (["{\"event_id\":\"a\"}", "{\"event_id\":\"b\",\"prev_hash\":\"{prev-escaped}\"}"], true);
        // A wrong hash, a non-string truthy prev_hash, a falsy one, an empty container.
        yield return () => (["{\"event_id\":\"a\"}", "{\"event_id\":\"b\",\"prev_hash\":\"00\"}"], false);
        yield return () => (["{\"event_id\":\"a\"}", "{\"event_id\":\"b\",\"prev_hash\":12}"], false);
        yield return () => (["{\"event_id\":\"a\"}", "{\"event_id\":\"b\",\"prev_hash\":0}", "{\"event_id\":\"c\",\"prev_hash\":[]}"], true);
        yield return () => (["{\"event_id\":\"a\"}", "{\"event_id\":\"b\",\"prev_hash\":{\"x\":1}}"], false);
        // A repeated prev_hash: the last one counts, string after non-string and the other way round.
        yield return () => (["{\"event_id\":\"a\"}", "{\"event_id\":\"b\",\"prev_hash\":5,\"prev_hash\":\"{prev}\"}"], true);
        yield return () => (["{\"event_id\":\"a\"}", "{\"event_id\":\"b\",\"prev_hash\":\"{prev}\",\"prev_hash\":true}"], false);
        // A NaN literal (read through the rewritten line), blank lines, a line that is not an object, a CR line end.
        yield return () => (["{\"event_id\":\"a\",\"x\":NaN}", "{\"event_id\":\"b\",\"x\":NaN,\"prev_hash\":\"{prev}\"}"], true);
        yield return () => (["{\"event_id\":\"a\"}", "   ", "[1,2]", "{\"event_id\":\"b\",\"prev_hash\":\"{prev}\"}\r", "not json"], true);
        // The first event carries a prev_hash.
        yield return () => (["{\"event_id\":\"a\",\"prev_hash\":\"{prev}\"}"], false);
    }

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task PreparedWalk_GivesTheSameResult_AsTheWalkReadingEachLine(string[] template, bool ok)
    {
        var lines = new List<string>();
        string prev = new('0', 64);
        foreach (string t in template)
        {
            string escaped = "\\u00" + ((int)prev[0]).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + prev[1..];
            string line = t.Replace("{prev-escaped}", escaped, StringComparison.Ordinal).Replace("{prev}", prev, StringComparison.Ordinal);
            lines.Add(line);
            if (line.StartsWith('{')) prev = Hex(line.TrimEnd('\r')); // only objects take part in the chain
        }

        var direct = new ChainWalker();
        var prepared = new ChainWalker();
        for (int i = 0; i < lines.Count; i++)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(lines[i]);
            bool terminated = i + 1 < lines.Count;
            direct.Add(bytes, i + 1, terminated);
            prepared.Add(ChainWalker.Prepare(bytes, i + 1, terminated));
        }
        ChainResult a = direct.Result("s"), b = prepared.Result("s");
        await Assert.That(a.Ok).IsEqualTo(ok);
        await Assert.That(b.Ok).IsEqualTo(a.Ok);
        await Assert.That(b.Status).IsEqualTo(a.Status);
        await Assert.That(b.BrokenAt).IsEqualTo(a.BrokenAt);
        await Assert.That(b.BrokenEventId).IsEqualTo(a.BrokenEventId);
        await Assert.That(b.BrokenLine).IsEqualTo(a.BrokenLine);
        await Assert.That(b.RootHash).IsEqualTo(a.RootHash);
        await Assert.That(b.TotalEvents).IsEqualTo(a.TotalEvents);
        await Assert.That(b.UnlinkedEvents).IsEqualTo(a.UnlinkedEvents);
        await Assert.That(b.UnparsableLines).IsEqualTo(a.UnparsableLines);
        await Assert.That(b.TornTailLine).IsEqualTo(a.TornTailLine);
        await Assert.That(b.Reason).IsEqualTo(a.Reason);
    }
}
