using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentStrace.Compliance;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

/// <summary>The package is written block by block on several threads: events across block boundaries, a line too long
/// to render ahead, blank, CRLF and non-event lines must still come out in order, numbered, and verify.</summary>
public sealed class PackageBlocksTests
{
    private static string Hash(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    private static string WriteSession(string root, int events, int longAt)
    {
        string dir = Path.Combine(root, "blocks-session-1");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "meta.json"), "{\"session_id\": \"blocks-session-1\", \"started_at\": 1778140800.0, \"agent_name\": \"t\"}");
        var text = new StringBuilder();
        string? last = null;
        for (int i = 0; i < events; i++)
        {
            string output = i == longAt ? new string('y', 3 << 20) : "out " + i + (i % 7 == 0 ? " context was reset" : "");
            string type = i % 11 == 0 ? "error" : "tool_result";
            string prev = last is null ? "" : ",\"prev_hash\":\"" + Hash(last) + "\"";
            string line = "{\"event_type\":\"" + type + "\",\"timestamp\":1778140800." + i + ",\"event_id\":\"e" + i
                + "\",\"session_id\":\"blocks-session-1\",\"data\":{\"tool_name\":\"Bash\",\"output\":\"" + output + "\"},\"duration_ms\":" + i + prev + "}";
            text.Append(line).Append('\n');
            if (i == 100) text.Append("   \n"); // blank: skipped, not an event
            last = line;
        }
        File.WriteAllText(Path.Combine(dir, "events.ndjson"), text.ToString());
        return dir;
    }

    [Test]
    public async Task ManyBlocksAndALongLine_EventsInOrderAndPackageVerifies()
    {
        using var t = new TempDir();
        WriteSession(t.Path, 3000, longAt: 1500);
        string package = PackageFixture.Build(t.Path);

        PackageVerifyResult result = PackageFixture.Verify(package);
        await Assert.That(result.Problems.Count).IsEqualTo(0);
        await Assert.That(result.ManifestOk).IsTrue();
        await Assert.That(result.CheckedEvents).IsEqualTo(3000);

        using var doc = JsonDocument.Parse(package);
        JsonElement session = doc.RootElement.GetProperty("sessions")[0];
        JsonElement events = session.GetProperty("article_12").GetProperty("events");
        await Assert.That(events.GetArrayLength()).IsEqualTo(3000);
        long lineNumber = 0;
        for (int i = 0; i < 3000; i++)
        {
            JsonElement e = events[i];
            await Assert.That(e.GetProperty("seq").GetInt32()).IsEqualTo(i + 1);
            await Assert.That(e.GetProperty("event_id").GetString()).IsEqualTo("e" + i);
            // The blank line after event 100 keeps its line number.
            lineNumber += i == 101 ? 2 : 1;
            await Assert.That(e.GetProperty("line_number").GetInt64()).IsEqualTo(lineNumber);
        }
        JsonElement limits = session.GetProperty("article_13").GetProperty("limitations");
        await Assert.That(limits.GetProperty("context_resets").GetInt32()).IsEqualTo(429);
        await Assert.That(limits.GetProperty("errors_encountered").GetInt32()).IsEqualTo(273);
        JsonElement points = session.GetProperty("article_13").GetProperty("human_oversight_points");
        await Assert.That(points.GetArrayLength()).IsEqualTo(273);
        await Assert.That(session.GetProperty("article_12").GetProperty("trace_integrity").GetProperty("hash_chain_valid").GetBoolean()).IsTrue();
    }

    [Test]
    [Arguments("{\"a\":\"nothing here\"}", false)]
    [Arguments("{\"a\":\"the Context was RESET\"}", true)]
    [Arguments("{\"context\":1,\"b\":\"reset\"}", true)]
    [Arguments("{\"a\":\"context only\"}", false)]
    [Arguments("{\"a\":\"\\u0072eset context\"}", true)]
    [Arguments("{\"a\":\"caf\u00e9\"}", true)]
    public async Task MayMentionReset_FalseOnlyWhenTheDumpCannotHoldBothWords(string data, bool expected)
    {
        await Assert.That(SessionScan.MayMentionReset(Encoding.UTF8.GetBytes(data))).IsEqualTo(expected);
    }

    [Test]
    [Arguments(PyJsonStyle.Indented)]
    [Arguments(PyJsonStyle.Default)]
    [Arguments(PyJsonStyle.Compact)]
    public async Task PlainPropertyName_SameBytesAsTheEscapingPath(PyJsonStyle style)
    {
        static string Write(PyJsonStyle style, bool plain)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var w = new PyJsonWriter(buffer, style, 2);
            w.WriteStartObject();
            if (plain) w.WritePropertyName("line_hash"u8); else w.WritePropertyName("line_hash");
            w.WriteNumberValue(1);
            if (plain) w.WritePropertyName("seq"u8); else w.WritePropertyName("seq");
            w.WriteNullValue();
            w.WriteEndObject();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        await Assert.That(Write(style, plain: true)).IsEqualTo(Write(style, plain: false));
    }
}
