using System.Text;
using System.Text.Json;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Capture;

/// <summary>
/// The labelled vector set (tests/fixtures/secret-vectors/vectors.jsonl, synthetic keys written by generate.py next
/// to it): secrets of the gitleaks/trufflehog families in context must be fully removed (recall ≥ 95 %), and clean
/// texts that look like secrets (commit ids, digests, integrity strings, image data, paths, code) must come out
/// unchanged (false positives ≤ 2 %).
/// </summary>
public sealed class SecretVectorTests
{
    private sealed record Vector(bool Secret, string Family, string Text, string[] Secrets, bool Json);

    private static List<Vector> Load()
    {
        var list = new List<Vector>();
        foreach (string line in File.ReadLines(Path.Combine(Repo.Fixtures, "secret-vectors", "vectors.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement r = doc.RootElement;
            list.Add(new Vector(r.GetProperty("label").GetString() == "secret", r.GetProperty("family").GetString()!, r.GetProperty("text").GetString()!,
                [.. r.GetProperty("secrets").EnumerateArray().Select(e => e.GetString()!)], r.GetProperty("json").GetBoolean()));
        }
        return list;
    }

    /// <summary>What would be stored: structural redaction for JSON objects (decoded back to text), text redaction otherwise.</summary>
    private static string Redact(Vector v)
    {
        if (!v.Json) return Redactor.On.Text(v.Text);
        RawJsonObject result = Redactor.On.Data(new RawJsonObject(Encoding.UTF8.GetBytes(v.Text)), out _);
        using var doc = JsonDocument.Parse(result.Raw);
        var sb = new StringBuilder(Encoding.UTF8.GetString(result.Raw.Span));
        Strings(doc.RootElement, sb);
        return sb.ToString();
    }

    /// <summary>Every decoded key and string, so an escaped secret ("\/" or "\u002B") still counts as stored.</summary>
    private static void Strings(JsonElement e, StringBuilder sb)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty p in e.EnumerateObject()) { sb.Append('\n').Append(p.Name); Strings(p.Value, sb); }
                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in e.EnumerateArray()) Strings(item, sb);
                break;
            case JsonValueKind.String:
                sb.Append('\n').Append(e.GetString());
                break;
        }
    }

    [Test]
    public async Task VectorSet_IsLargeEnough()
    {
        List<Vector> all = Load();
        await Assert.That(all.Count(v => v.Secret)).IsGreaterThanOrEqualTo(300);
        await Assert.That(all.Count(v => !v.Secret)).IsGreaterThanOrEqualTo(100);
        await Assert.That(all.Where(v => v.Secret).All(v => v.Secrets.Length > 0)).IsTrue();
    }

    [Test]
    public async Task Secrets_AreRemoved_WithRecallOfAtLeast95Percent()
    {
        List<Vector> secrets = Load().Where(v => v.Secret).ToList();
        var missed = secrets.Where(v => { string stored = Redact(v); return v.Secrets.Any(s => stored.Contains(s, StringComparison.Ordinal)); }).ToList();
        double recall = 1 - (double)missed.Count / secrets.Count;
        Console.WriteLine($"secret vectors: recall {recall:P1} ({secrets.Count - missed.Count}/{secrets.Count})");
        await Assert.That(recall).IsGreaterThanOrEqualTo(0.95d)
            .Because("missed: " + string.Join(" | ", missed.Select(v => v.Family + ": " + v.Text[..Math.Min(v.Text.Length, 160)])));
    }

    [Test]
    public async Task CleanTexts_AreUnchanged_WithFalsePositivesOfAtMost2Percent()
    {
        List<Vector> clean = Load().Where(v => !v.Secret).ToList();
        var altered = clean.Where(v => v.Json
            ? Redactor.On.Data(new RawJsonObject(Encoding.UTF8.GetBytes(v.Text)), out bool redacted) is var _ && redacted
            : Redactor.On.Text(v.Text) != v.Text).ToList();
        double rate = (double)altered.Count / clean.Count;
        Console.WriteLine($"secret vectors: false positives {rate:P1} ({altered.Count}/{clean.Count})");
        await Assert.That(rate).IsLessThanOrEqualTo(0.02d)
            .Because("altered: " + string.Join(" | ", altered.Select(v => v.Family + ": " + Redactor.On.Text(v.Text))));
    }

    [Test]
    public async Task EveryFamily_IsCaughtAtLeastOnce()
    {
        var families = Load().Where(v => v.Secret).GroupBy(v => v.Family)
            .Where(g => g.All(v => { string stored = Redact(v); return v.Secrets.Any(s => stored.Contains(s, StringComparison.Ordinal)); }))
            .Select(g => g.Key).ToList();
        await Assert.That(families).IsEmpty();
    }
}
