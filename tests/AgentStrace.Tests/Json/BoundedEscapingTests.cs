using System.Buffers;
using System.Text;
using System.Text.Json;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;

namespace AgentStrace.Tests.Json;

/// <summary>
/// The bounded paths of the audit package (chunked escaping, UTF-8 written without a string, summaries that stop
/// after their limit) give exactly the bytes of the plain paths they replace.
/// </summary>
public sealed class BoundedEscapingTests
{
    // Pieces that straddle chunk boundaries in every way: multi-byte sequences, surrogate pairs, escapes, controls.
    private static readonly string[] s_pieces = ["a", "é", "€", "😀", "\"", "\\", "\n", "\u0001", "\t", " ", "z9", "\u2028"];

    private static string Text(int seed, int length)
    {
        var rnd = new Random(seed);
        var sb = new StringBuilder();
        while (sb.Length < length) sb.Append(s_pieces[rnd.Next(s_pieces.Length)]);
        return sb.ToString();
    }

    private static string Written(Action<PyJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new PyJsonWriter(buffer, PyJsonStyle.Default));
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    [Test]
    [Arguments(1, 0)]
    [Arguments(2, 10)]
    [Arguments(3, 8191)]
    [Arguments(4, 8192)]
    [Arguments(5, 8193)]
    [Arguments(6, 50_000)]
    public async Task Utf8Value_WritesAsTheDecodedString(int seed, int length)
    {
        string s = Text(seed, length);
        string expected = Written(w => w.WriteStringValue(s));
        await Assert.That(Written(w => w.WriteJsonStringValue(Encoding.UTF8.GetBytes(s), escaped: false))).IsEqualTo(expected);
        // The raw bytes of a JSON string token (escaped by another writer) decode, a chunk at a time, to the same string.
        byte[] token = JsonEncodedText.Encode(s).EncodedUtf8Bytes.ToArray();
        await Assert.That(Written(w => w.WriteJsonStringValue(token, escaped: true))).IsEqualTo(expected);
        await Assert.That(Written(w => { w.WriteStartObject(); w.WriteJsonPropertyName(token, escaped: true); w.WriteNullValue(); w.WriteEndObject(); }))
            .IsEqualTo(Written(w => { w.WriteStartObject(); w.WritePropertyName(s); w.WriteNullValue(); w.WriteEndObject(); }));
        // The chunked escaping gives what one pass over the string gives: every char on its own.
        var sb = new StringBuilder("\"");
        foreach (char c in s) sb.Append(Written(w => w.WriteStringValue(c.ToString()))[1..^1]);
        await Assert.That(expected).IsEqualTo(sb.Append('"').ToString());
    }

    [Test]
    [Arguments(7, 10, 240)]
    [Arguments(8, 239, 240)]
    [Arguments(9, 240, 240)]
    [Arguments(10, 241, 240)]
    [Arguments(11, 5000, 240)]
    [Arguments(12, 5000, 180)]
    public async Task Summary_EqualsTheFullDumpCut(int seed, int length, int limit)
    {
        string s = Text(seed, length);
        string json = "{\"zeta\": " + PyJsonWriter.Quote(s) + ", \"alpha\": [1, 2.5, " + PyJsonWriter.Quote(s[..(length / 2)]) + "], \"mid\": {\"b\": true, \"a\": null}}";
        var data = new RawJsonObject(Encoding.UTF8.GetBytes(json));
        string full = Summary.SortedDumps(data.Raw);
        string expected = full.Length > limit ? full[..limit] + "..." : full;
        await Assert.That(Summary.Of(data, limit)).IsEqualTo(expected);
    }

    [Test]
    [Arguments(13, 0, 5)]
    [Arguments(14, 100, 5)]
    [Arguments(15, 100, 99)]
    [Arguments(16, 3000, 241)]
    public async Task UnescapeHead_IsAPrefixOfAtLeastThatManyChars(int seed, int length, int minChars)
    {
        string s = Text(seed, length);
        byte[] escaped = Encoding.UTF8.GetBytes(PyJsonWriter.Quote(s)[1..^1]);
        byte[] plain = Encoding.UTF8.GetBytes(s.Replace("\\", "", StringComparison.Ordinal));
        foreach ((byte[] raw, bool isEscaped, string whole) in new[] { (escaped, true, s), (plain, false, s.Replace("\\", "", StringComparison.Ordinal)) })
        {
            string head = JsonText.UnescapeHead(raw, isEscaped, minChars + 1, out _); // as Summary asks: one more than it keeps
            await Assert.That(whole.StartsWith(head, StringComparison.Ordinal)).IsTrue();
            await Assert.That(head.Length >= Math.Min(minChars, whole.Length)).IsTrue();
        }
    }

    [Test]
    [Arguments("\\ud800 lone, \\udc00 low, \\ud83d\\ude00 pair")]
    [Arguments("cut \\ud83d")]
    public async Task EscapedValue_LoneSurrogates_WriteAsPythonWrites(string token)
    {
        // Python keeps lone surrogates and escapes them as they are; decoding chunk by chunk must not pair or drop them.
        string padded = new string('x', 8190) + token;
        byte[] raw = Encoding.ASCII.GetBytes(padded);
        string expected = Written(w => w.WriteStringValue(JsonText.Unescape(raw, escaped: true)));
        await Assert.That(Written(w => w.WriteJsonStringValue(raw, escaped: true))).IsEqualTo(expected);
    }

    [Test]
    [Arguments(0)]
    [Arguments(1)]
    [Arguments(2)]
    [Arguments(49151)]
    [Arguments(49152)]
    [Arguments(49153)]
    [Arguments(200_001)]
    public async Task Base64Value_EqualsConvert(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        await Assert.That(Written(w => w.WriteBase64StringValue(data))).IsEqualTo("\"" + Convert.ToBase64String(data) + "\"");
    }

    [Test]
    [Arguments("{\"a\": NaN}", "{\"a\": null}")]
    [Arguments("{\"a\": [Infinity, -Infinity, 1]}", "{\"a\": [null, null, 1]}")]
    [Arguments("{\"NaN\": \"Infinity \\\" NaN\", \"b\": -Infinity}", "{\"NaN\": \"Infinity \\\" NaN\", \"b\": null}")]
    [Arguments("{\"text\": \"NaN and Infinity in words\"}", null)]
    [Arguments("{\"a\": 1}", null)]
    public async Task NonFiniteLiterals_OutsideStringsOnly(string line, string? expected)
    {
        byte[]? result = NonFiniteLiterals.AsNull(Encoding.UTF8.GetBytes(line));
        await Assert.That(result is null ? null : Encoding.UTF8.GetString(result)).IsEqualTo(expected);
    }
}

public sealed class CountingSearchTests
{
    [Test]
    [Arguments("{\"a\": \"Context was RESET\"}", true, true)]
    [Arguments("{\"a\": \"context\"}", true, false)]
    [Arguments("{\"reset\": 1}", false, true)]
    [Arguments("{\"a\": \"conte\\u00e9xt\"}", false, false)]
    public async Task Words_FoundAsInTheLowercasedDump(string json, bool context, bool reset)
    {
        foreach (int split in new[] { 1, 2, 3, 7, 1000 })
        {
            var counter = new CountingBufferWriter { Words = [System.Text.Encoding.ASCII.GetBytes("context"), System.Text.Encoding.ASCII.GetBytes("reset")] };
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json);
            // Written in pieces of `split` bytes, as a writer advances: words straddling pieces count.
            for (int i = 0; i < bytes.Length; i += split)
            {
                int n = Math.Min(split, bytes.Length - i);
                bytes.AsSpan(i, n).CopyTo(counter.GetSpan(n));
                counter.Advance(n);
            }
            string lowered = json.ToLowerInvariant();
            await Assert.That(counter.Found(0)).IsEqualTo(lowered.Contains("context", StringComparison.Ordinal)).And.IsEqualTo(context);
            await Assert.That(counter.Found(1)).IsEqualTo(lowered.Contains("reset", StringComparison.Ordinal)).And.IsEqualTo(reset);
            await Assert.That(counter.Count).IsEqualTo((long)bytes.Length);
        }
    }
}
