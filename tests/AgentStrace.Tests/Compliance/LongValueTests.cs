using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentStrace.Compliance;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

/// <summary>
/// A raw line over 1 MiB is decoded by the verifier as it streams past (never held whole in the token buffer): escapes,
/// surrogate pairs, a lone surrogate and bytes that are not UTF-8 (the base64 form) must give the bytes the ordinary
/// path gives, from a seekable stream and from one that cannot seek, and an edit or a cut inside it must be found.
/// </summary>
public sealed class LongValueTests
{
    private static byte[] Escaped(int bytes)
    {
        byte[] unit = "QQQQ \\\"q\\\" \\\\ \\n\\t caf\\u00e9 \\ud83d\\ude00 lone \\ud800 x /\\/ \u00e9\u20ac "u8.ToArray();
        var output = new MemoryStream();
        while (output.Length < bytes) output.Write(unit);
        return output.ToArray();
    }

    private static byte[] NotUtf8(int bytes)
    {
        byte[] b = new byte[bytes];
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(i % 97 == 0 ? 0xFF : 'a' + i % 26);
        return b;
    }

    // Three events, the middle one carrying `content` inside a JSON string; returns the middle line.
    private static byte[] WriteSession(string root, byte[] content)
    {
        string dir = Path.Combine(root, "long-value-1");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "meta.json"), "{\"session_id\": \"long-value-1\", \"started_at\": 1778140800.0, \"agent_name\": \"t\"}");
        byte[] first = "{\"event_type\":\"tool_call\",\"timestamp\":1778140800.0,\"event_id\":\"e0\",\"session_id\":\"long-value-1\",\"data\":{\"tool_name\":\"Bash\"}}"u8.ToArray();
        byte[] middle = [.. Encoding.ASCII.GetBytes("{\"event_type\":\"tool_result\",\"timestamp\":1778140801.0,\"event_id\":\"e1\",\"session_id\":\"long-value-1\",\"data\":{\"output\":\""),
            .. content, .. Encoding.ASCII.GetBytes("\"},\"prev_hash\":\"" + Hex(first) + "\"}")];
        byte[] last = Encoding.ASCII.GetBytes("{\"event_type\":\"session_end\",\"timestamp\":1778140802.0,\"event_id\":\"e2\",\"session_id\":\"long-value-1\",\"data\":{},\"prev_hash\":\"" + Hex(middle) + "\"}");
        File.WriteAllBytes(Path.Combine(dir, "events.ndjson"), [.. first, (byte)'\n', .. middle, (byte)'\n', .. last, (byte)'\n']);
        return middle;
    }

    private static string Hex(byte[] line) => Convert.ToHexStringLower(SHA256.HashData(line));

    [Test]
    [Arguments("escapes", true)]
    [Arguments("escapes", false)]
    [Arguments("not-utf8", true)]
    [Arguments("not-utf8", false)]
    public async Task LongRawLine_VerifiesFromAStream(string kind, bool seekable)
    {
        using var t = new TempDir();
        byte[] middle = WriteSession(t.Path, kind == "escapes" ? Escaped(3 << 20) : NotUtf8(3 << 20));
        string package = PackageFixture.Build(t.Path);
        byte[] bytes = Encoding.UTF8.GetBytes(package);
        PackageVerifyResult result = PackageVerifier.Verify(seekable ? new MemoryStream(bytes) : new ForwardOnly(bytes));
        await Assert.That(result.Problems.Count).IsEqualTo(0).Because(string.Join("\n", result.Problems.Select(p => p.ToString())));
        await Assert.That(result.ManifestOk).IsTrue();
        await Assert.That(result.CheckedEvents).IsEqualTo(3);
        // The package holds the stored line: as text (escaped by json.dumps), or as base64 when it is not UTF-8.
        using var doc = JsonDocument.Parse(package);
        JsonElement raw = doc.RootElement.GetProperty("sessions")[0].GetProperty("article_12").GetProperty("events")[1].GetProperty("raw_line");
        byte[] stored = raw.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(raw.GetString()!) : Convert.FromBase64String(raw.GetProperty("base64").GetString()!);
        await Assert.That(kind == "escapes" ? raw.ValueKind == JsonValueKind.String : raw.ValueKind == JsonValueKind.Object).IsTrue();
        await Assert.That(Hex(stored)).IsEqualTo(Hex(middle));
    }

    [Test]
    public async Task LongRawLine_EditedOrCut_IsFound()
    {
        using var t = new TempDir();
        WriteSession(t.Path, Escaped(3 << 20));
        string package = PackageFixture.Build(t.Path);
        int rawLine = package.IndexOf("\"raw_line\": ", package.IndexOf("\"sessions\": ", StringComparison.Ordinal), StringComparison.Ordinal);
        int at = package.IndexOf("QQQQ", package.IndexOf("QQQQ", rawLine, StringComparison.Ordinal) + (2 << 20), StringComparison.Ordinal);
        string edited = package[..at] + "QQQR" + package[(at + 4)..];
        PackageVerifyResult result = PackageFixture.Verify(edited);
        await Assert.That(result.Problems.Any(p => p.Field == "raw_line" && p.Seq == 2)).IsTrue();
        await Assert.That(result.ManifestOk).IsFalse();

        PackageVerifyResult cut = PackageFixture.Verify(package[..at]);
        await Assert.That(cut.Problems.Any(p => p.Field == "package" && p.Message.Contains("not valid JSON"))).IsTrue();
    }

    /// <summary>A stream that cannot seek (a pipe): the verifier cannot look ahead for a long value's length.</summary>
    private sealed class ForwardOnly(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 4096 * 3 + 17));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
