using System.Text;
using AgentStrace.Json;
using AgentStrace.Spans;

namespace AgentStrace.Tests.Json;

/// <summary>The UTF-8 fast path for <c>str(v)[:n]</c> must give exactly what the UTF-16 path gives.</summary>
public sealed class Utf8HeadTests
{
    [Test]
    [Arguments("plain ascii text", 5)]
    [Arguments("plain ascii text", 16)]
    [Arguments("plain ascii text", 200)]
    [Arguments("", 3)]
    [Arguments("caf\u00e9 na\u00efve r\u00e9sum\u00e9", 4)]
    [Arguments("caf\u00e9 na\u00efve r\u00e9sum\u00e9", 9)]
    [Arguments("\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8", 3)]
    [Arguments("emoji \ud83d\ude00\ud83d\ude01 end", 7)]
    [Arguments("emoji \ud83d\ude00\ud83d\ude01 end", 8)]
    [Arguments("line one\nline \"two\"\t\\ end", 10)]
    [Arguments("line one\nline \"two\"\t\\ end", 100)]
    [Arguments("ctrl \u0001\u001f and /slash", 8)]
    public async Task Head_MatchesTheStringPath(string text, int codePoints)
    {
        foreach (byte[] token in Tokens(text))
        {
            string expected = PyText.Head(text, codePoints);
            bool escaped = token.AsSpan().IndexOf((byte)'\\') >= 0;
            await Assert.That(JsonText.TryUtf8Head(token, escaped, codePoints, out ArraySegment<byte> utf8)).IsTrue();
            await Assert.That(Encoding.UTF8.GetString(utf8)).IsEqualTo(expected);
        }
    }

    [Test]
    public async Task Head_OfUnescapedToken_IsASliceOfTheStoredBytes()
    {
        byte[] token = "tool output that is long"u8.ToArray();
        await Assert.That(JsonText.TryUtf8Head(token, false, 4, out ArraySegment<byte> utf8)).IsTrue();
        await Assert.That(ReferenceEquals(utf8.Array, token)).IsTrue();
        await Assert.That(utf8.Count).IsEqualTo(4);
    }

    [Test]
    [Arguments("lone \\ud83d surrogate")]
    [Arguments("lone \\ude00 low")]
    public async Task Head_WithLoneSurrogate_DefersToTheStringPath(string token)
    {
        await Assert.That(JsonText.TryUtf8Head(Encoding.ASCII.GetBytes(token), true, 100, out _)).IsFalse();
    }

    [Test]
    public async Task Head_WithInvalidUtf8_DefersToTheStringPath()
    {
        byte[] token = [(byte)'a', 0xC3, (byte)'b'];
        await Assert.That(JsonText.TryUtf8Head(token, false, 10, out _)).IsFalse();
    }

    [Test]
    public async Task PyStrValue_OfNonStrings_UsesThePythonRepr()
    {
        var data = new RawJsonObject("{\"n\":12,\"b\":true,\"o\":{\"a\":[1,2]},\"s\":\"x\\ny\"}"u8.ToArray());
        await Assert.That(AttributeMapper.PyStrValue(data.Get("n"u8), 200).String).IsEqualTo("12");
        await Assert.That(AttributeMapper.PyStrValue(data.Get("b"u8), 200).String).IsEqualTo("True");
        await Assert.That(AttributeMapper.PyStrValue(data.Get("o"u8), 200).String).IsEqualTo("{'a': [1, 2]}");
        AttributeValue s = AttributeMapper.PyStrValue(data.Get("s"u8), 200);
        await Assert.That(s.TryGetUtf8(out _)).IsTrue();
        await Assert.That(s.String).IsEqualTo("x\ny");
    }

    [Test]
    public async Task Interner_ReturnsOneStringPerToken_WithItsPrefix()
    {
        var interner = new Utf8Interner("tool/");
        string first = interner.Get("Bash"u8);
        await Assert.That(first).IsEqualTo("tool/Bash");
        await Assert.That(ReferenceEquals(first, interner.Get("Bash"u8))).IsTrue();
        await Assert.That(interner.Get("Read"u8)).IsEqualTo("tool/Read");
        await Assert.That(interner.Get(new string('x', 300).Select(c => (byte)c).ToArray())).IsEqualTo("tool/" + new string('x', 300));
    }

    // The token as Python's json.dumps writes it (ASCII, \u escapes) and as a raw UTF-8 writer would.
    private static IEnumerable<byte[]> Tokens(string text)
    {
        var ascii = new StringBuilder();
        var raw = new StringBuilder();
        foreach (char c in text)
        {
            string escape = c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", _ => "" };
            if (escape.Length > 0) { ascii.Append(escape); raw.Append(escape); continue; }
            if (c < 0x20) { ascii.Append($"\\u{(int)c:x4}"); raw.Append($"\\u{(int)c:x4}"); continue; }
            ascii.Append(c < 0x7F ? c.ToString() : $"\\u{(int)c:x4}");
            raw.Append(c);
        }
        yield return Encoding.ASCII.GetBytes(ascii.ToString());
        yield return Encoding.UTF8.GetBytes(raw.ToString());
    }
}
