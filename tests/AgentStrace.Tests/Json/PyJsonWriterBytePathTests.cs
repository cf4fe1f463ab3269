using System.Buffers;
using System.Text;
using AgentStrace.Json;

namespace AgentStrace.Tests.Json;

/// <summary>
/// A string token written from its raw bytes (<see cref="PyJsonWriter.WriteJsonStringValue"/>) must dump exactly as the
/// decoded string does through the char path (<see cref="PyJsonWriter.WriteStringValue"/>): escapes, UTF-8, surrogates,
/// DEL, invalid UTF-8 and values longer than one escaping chunk.
/// </summary>
public sealed class PyJsonWriterBytePathTests
{
    private static readonly string[] s_pieces =
    [
        "a", "plain text ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0001", "\u001f", "\u007f", "é", "\u2028", "€",
        "😀", "\ud83d", "\ude00", "{}[]:,", "~", " ",
    ];

    private static string Dump(Action<PyJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new PyJsonWriter(buffer, PyJsonStyle.Compact));
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    // 2,000 strings of those pieces, every 50th longer than one escaping chunk.
    private static IEnumerable<string> RandomStrings(int seed)
    {
        var rng = new Random(seed);
        for (int n = 0; n < 2000; n++)
        {
            var sb = new StringBuilder();
            int pieces = rng.Next(0, n % 50 == 0 ? 5000 : 40);
            for (int i = 0; i < pieces; i++) sb.Append(s_pieces[rng.Next(s_pieces.Length)]);
            yield return sb.ToString();
        }
    }

    [Test]
    public async Task EscapedToken_DumpsAsTheDecodedString()
    {
        foreach (string s in RandomStrings(21))
        {
            // The token as Python writes it, and with every other char escaped in upper-case hex.
            foreach (string token in new[] { PyJsonWriter.Quote(s)[1..^1], UpperEscapes(s) })
            {
                byte[] raw = Encoding.UTF8.GetBytes(token);
                string expected = Dump(w => w.WriteStringValue(JsonText.Unescape(raw, true)));
                await Assert.That(Dump(w => w.WriteJsonStringValue(raw, escaped: true))).IsEqualTo(expected);
            }
        }
    }

    private static string UpperEscapes(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s)
        {
            if (c == '/') sb.Append("\\/");
            else if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c is >= 'a' and <= 'z') sb.Append(c);
            else sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    [Test]
    public async Task UnescapedBytes_DumpAsTheirUtf8Decoding()
    {
        foreach (string s in RandomStrings(7))
        {
            byte[] raw = Encoding.UTF8.GetBytes(s); // lone surrogates become EF BF BD, quotes and backslashes stay literal
            string expected = Dump(w => w.WriteStringValue(Encoding.UTF8.GetString(raw)));
            await Assert.That(Dump(w => w.WriteJsonStringValue(raw, escaped: false))).IsEqualTo(expected);
        }
    }

    [Test]
    public async Task InvalidUtf8_TakesTheCharPath()
    {
        byte[][] cases =
        [
            [0x61, 0xff, 0x62], [0xc3], [0x61, 0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80, 0x61],
            [0x41, 0x5c, 0x6e, 0x80, 0x5c, 0x75, 0x30, 0x30, 0x65, 0x39],
        ];
        foreach (byte[] raw in cases)
        {
            foreach (bool escaped in new[] { false, true })
            {
                string expected = Dump(w => w.WriteStringValue(JsonText.Unescape(raw, escaped)));
                await Assert.That(Dump(w => w.WriteJsonStringValue(raw, escaped))).IsEqualTo(expected);
            }
        }
    }

    [Test]
    public async Task UpperCaseHexEscapes_ComeOutLowerCase()
    {
        await Assert.That(Dump(w => w.WriteJsonStringValue("\\u00E9\\uD83D\\uDE00\\u001F\\/"u8, escaped: true)))
            .IsEqualTo("\"\\u00e9\\ud83d\\ude00\\u001f/\"");
    }
}
