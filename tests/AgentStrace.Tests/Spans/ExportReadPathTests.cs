using System.Text;
using AgentStrace.Model;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Spans;

/// <summary>
/// The export read path (blocks parsed in parallel, data sliced and indexed, span ids precomputed) must give the same
/// spans, byte for byte, as plain parsing (Utf8HeadTests checks the UTF-8 attribute values against the string path). The session is hostile on purpose: raw UTF-8 and
/// \u escapes, cuts that fall inside multi-byte characters and surrogate pairs, lone surrogates, escaped and duplicate
/// property names, non-string results, unmatched calls.
/// </summary>
public sealed class ExportReadPathTests
{
    [Test]
    [Arguments(SpanFormat.Classic, Semconv.Default)]
    [Arguments(SpanFormat.GenAi, Semconv.Default)]
    [Arguments(SpanFormat.GenAi, Semconv.V141)]
    [Arguments(SpanFormat.GenAi, Semconv.Latest)]
    public async Task ExportPath_EncodesTheSameBytes_AsPlainParsing(SpanFormat format, Semconv semconv)
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "events.ndjson");
        File.WriteAllBytes(path, HostileSession());
        var meta = new SessionMeta { SessionId = "s1", StartedAt = 1790000000, AgentName = "claude-code" };
        var options = new SpanOptions { Format = format, Semconv = semconv };

        var plain = new SessionSpanBuilder(options, meta, TraceIds.TraceId("s1"));
        var plainSpans = new List<Span>();
        foreach (TraceEvent e in EventReader.ReadFile(path)) plain.Add(e, plainSpans.Add);
        plain.Finish(plainSpans.Add);

        var fast = new SessionSpanBuilder(options, meta, TraceIds.TraceId("s1"));
        var fastSpans = new List<Span>();
        await foreach (var chunk in PrefetchingEventReader.ReadChunksAsync(path, null, default, blockSize: 4096, prepare: TraceIds.PrecomputeSpanIds))
        {
            foreach (TraceEvent e in chunk) fast.Add(e, fastSpans.Add);
        }
        fast.Finish(fastSpans.Add);

        await Assert.That(fastSpans.Count).IsEqualTo(plainSpans.Count);
        await Assert.That(plainSpans.Count).IsGreaterThan(300);
        await Assert.That(Convert.ToHexString(Encode(fastSpans, plain))).IsEqualTo(Convert.ToHexString(Encode(plainSpans, plain)));
    }

    private static byte[] Encode(List<Span> spans, SessionSpanBuilder builder)
    {
        ResourceSpans resource = builder.NewResource();
        resource.Spans.AddRange(spans);
        using var writer = new ProtoWriter();
        TraceRequestWriter.Write(writer, [resource]);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] HostileSession()
    {
        var random = new Random(11);
        string[] pieces = ["a", "é", "日本", "😀", "\n", "\t", "\"", "\\", "/", " ", "\u2028", "\u00a0", "xyz", "\u0001"];
        string Text(int n)
        {
            var sb = new StringBuilder();
            while (sb.Length < n) sb.Append(pieces[random.Next(pieces.Length)]);
            return sb.ToString();
        }
        var lines = new List<byte[]>();
        void Line(string json, bool ascii) => lines.Add(ascii ? Encoding.ASCII.GetBytes(AsciiEscape(json)) : Encoding.UTF8.GetBytes(json));
        double t = 1790000000;
        for (int i = 0; i < 320; i++)
        {
            t += 0.5;
            string tool = new[] { "Bash", "Read", "Édit", "日本" }[i % 4];
            string command = Text(new[] { 5, 199, 200, 201, 260 }[i % 5]);
            string name = i % 11 == 0 ? "comm\\u0061nd" : "command";
            string dup = i % 7 == 0 ? ",\"dup\":1,\"dup\":2" : "";
            Line($"{{\"event_type\":\"tool_call\",\"timestamp\":{t:R},\"event_id\":\"c{i}\",\"session_id\":\"s1\",\"data\":{{\"tool_name\":{Q(tool)},\"arguments\":{{\"{name}\":{Q(command)},\"n\":{i},\"list\":[1,\"a\",{{\"k\":null}}],\"flag\":true{dup}}}}}}}", i % 2 == 0);
            t += 0.25;
            if (i % 19 == 18) continue; // a call that never gets its result
            if (i % 13 == 0)
            {
                Line($"{{\"event_type\":\"error\",\"timestamp\":{t:R},\"event_id\":\"e{i}\",\"session_id\":\"s1\",\"parent_id\":\"c{i}\",\"duration_ms\":250.0,\"data\":{{\"tool_name\":\"Bash\",\"error\":{Q(Text(600))},\"error_type\":\"Exit\"}}}}", i % 3 == 0);
                continue;
            }
            string output = Text(new[] { 10, 499, 500, 501, 4095, 4096, 4097, 5000 }[i % 8]);
            string result = i % 5 == 0 ? $"{{\"structured\":[1,2,{Q(Text(20))}]}}" : i % 17 == 0 ? "\"lone \\ud83d surrogate " + Q(output)[1..] : Q(output);
            Line($"{{\"event_type\":\"tool_result\",\"timestamp\":{t:R},\"event_id\":\"r{i}\",\"session_id\":\"s1\",\"parent_id\":\"c{i}\",\"duration_ms\":250.0,\"data\":{{\"tool_name\":\"Bash\",\"result\":{result}}},\"prev_hash\":\"{i:x64}\"}}", i % 3 == 0);
            if (i % 25 == 0)
            {
                Line($"{{\"event_type\":\"user_prompt\",\"timestamp\":{t:R},\"event_id\":\"p{i}\",\"session_id\":\"s1\",\"data\":{{\"prompt\":{Q(Text(1200))}}}}}", false);
                Line($"{{\"event_type\":\"llm_request\",\"timestamp\":{t:R},\"event_id\":\"q{i}\",\"session_id\":\"s1\",\"data\":{{\"model\":\"claude-sonnet-4-5\",\"input_tokens\":100,\"max_tokens\":4096}}}}", true);
                Line($"{{\"event_type\":\"llm_response\",\"timestamp\":{t + 0.1:R},\"event_id\":\"a{i}\",\"session_id\":\"s1\",\"parent_id\":\"q{i}\",\"data\":{{\"model\":\"claude-sonnet-4-5\",\"output_tokens\":5,\"stop_reason\":\"end_turn\"}}}}", true);
                Line($"{{\"event_type\":\"assistant_response\",\"timestamp\":{t + 0.2:R},\"event_id\":\"ar{i}\",\"session_id\":\"s1\",\"data\":{{\"text\":{Q(Text(700))}}}}}", false);
            }
        }
        return lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
    }

    // A JSON string literal, escaping only what JSON requires (non-ASCII stays raw).
    private static string Q(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    // Python's ensure_ascii: every non-ASCII character as \uXXXX (surrogate pairs as two escapes).
    private static string AsciiEscape(string json)
    {
        var sb = new StringBuilder(json.Length);
        foreach (char c in json) sb.Append(c < 0x80 ? c.ToString() : $"\\u{(int)c:x4}");
        return sb.ToString();
    }
}
