using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentStrace.Doctor;

namespace AgentStrace.Tests.Doctor;

/// <summary><c>doctor --format json</c> through the generated writer: the bytes the hand-written writer produced.</summary>
public sealed class DoctorDocumentTests
{
    private static readonly JsonWriterOptions s_options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Test]
    public async Task Json_IsWhatTheHandWrittenWriterWrote()
    {
        List<DoctorLine> lines =
        [
            new("Claude Code hooks", CheckState.Ok, "installed in ~/.claude/settings.json"),
            new("store", CheckState.Fail, "not writable: \"/tmp/x\" <é> ✓", "chmod u+w /tmp/x\nthen retry"),
            new("OTLP endpoint", CheckState.Skip, "", ""),
        ];
        foreach (List<DoctorLine> input in new[] { lines, [] })
        {
            var expected = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(expected, s_options)) HandWritten(w, input, "1.2.3");
            var actual = new ArrayBufferWriter<byte>();
            DoctorDocument report = DoctorDocument.Of(input, "1.2.3");
            using (var w = new Utf8JsonWriter(actual, s_options)) report.Write(w);
            await Assert.That(Encoding.UTF8.GetString(actual.WrittenSpan)).IsEqualTo(Encoding.UTF8.GetString(expected.WrittenSpan));
            await Assert.That(report.Ok).IsEqualTo(input.All(l => l.State != CheckState.Fail));
        }
    }

    // The writer doctor used before the document (kept here as the reference).
    private static void HandWritten(Utf8JsonWriter w, List<DoctorLine> lines, string version)
    {
        w.WriteStartObject();
        w.WriteBoolean("ok", lines.All(l => l.State != CheckState.Fail));
        w.WriteString("version", version);
        w.WriteStartArray("checks");
        foreach (DoctorLine l in lines)
        {
            w.WriteStartObject();
            w.WriteString("check", l.Check);
            w.WriteString("state", l.State switch { CheckState.Ok => "ok", CheckState.Fail => "fail", _ => "skip" });
            w.WriteString("message", l.Message);
            if (l.Fix.Length > 0) w.WriteString("fix", l.Fix);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
