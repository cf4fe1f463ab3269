using System.Text;
using System.Text.Json;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;

namespace AgentStrace.Tests.Json;

/// <summary>Reading only the head of a long string value gives exactly the prefix of the whole value, never splitting an
/// escape, a UTF-8 sequence or a surrogate pair.</summary>
public sealed class JsonTextHeadTests
{
    private static IEnumerable<string> Values()
    {
        yield return new string('a', 50_000);
        yield return string.Concat(Enumerable.Repeat("line \"quoted\"\n\ttab \\ back é ü 😀 中文 ", 4_000));
        yield return string.Concat(Enumerable.Repeat("😀", 30_000));
        yield return string.Concat(Enumerable.Repeat("\u0001\u001f", 20_000));
        yield return "short";
        yield return "";
    }

    [Test]
    public async Task Head_IsThePrefixOfTheWholeValue()
    {
        foreach (string value in Values())
        {
            foreach (bool ascii in new[] { false, true })
            {
                // System.Text.Json escapes non-ASCII when asked (\uXXXX, surrogate pairs as two escapes); else raw UTF-8.
                var options = new JsonWriterOptions { Encoder = ascii ? null : System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                using var ms = new MemoryStream();
                using (var w = new Utf8JsonWriter(ms, options)) w.WriteStringValue(value);
                byte[] token = ms.ToArray()[1..^1];
                bool escaped = token.AsSpan().IndexOf((byte)'\\') >= 0;
                foreach (int max in new[] { 0, 1, 7, 1000, 2001, 66_000, 1_000_000 })
                {
                    string head = JsonText.UnescapeHead(token, escaped, max, out bool truncated);
                    await Assert.That(value.StartsWith(head, StringComparison.Ordinal)).IsTrue();
                    await Assert.That(truncated).IsEqualTo(value.Length > max);
                    // Exactly max chars, or one fewer where a surrogate pair would have been split.
                    int expected = Math.Min(max, value.Length);
                    if (expected > 0 && expected < value.Length && char.IsHighSurrogate(value[expected - 1])) expected--;
                    await Assert.That(head.Length).IsEqualTo(expected);
                }
            }
        }
    }

    [Test]
    public async Task CutOfAHead_RedactsASecretInTheKeptPartAndMarksTheCut()
    {
        string secret = "ghp_" + new string('Z', 20) + "0123456789abcdef";
        string value = "token " + secret + " " + new string('x', 500_000);
        byte[] token = Encoding.UTF8.GetBytes(value);
        string head = JsonText.UnescapeHead(token, false, Redactor.ReadLimit(2000), out bool truncated);
        string cut = Redactor.On.Cut(head, truncated, 2000, "...");
        await Assert.That(cut).DoesNotContain(secret);
        await Assert.That(cut).Contains("[REDACTED:github-token]");
        await Assert.That(cut).EndsWith("...");
        // The same as cutting the whole value.
        await Assert.That(cut).IsEqualTo(Redactor.On.Cut(value, 2000, "..."));
    }
}
