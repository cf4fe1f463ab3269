using AgentStrace.Cli.Tests.Capture;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// Codex and Gemini CLI files with one 200 MB tool output are imported in at most twice the line plus 64 MiB (the
/// readers decode only the head of an output, redacted before it is cut); a 200 MB legacy one-document Gemini chat of
/// ordinary messages is streamed in at most 64 MiB, and so is a chat of 69,901 small replies (legacy document and
/// journal), whose replay index grows with the number of messages, not their size.
/// </summary>
public sealed partial class HugeEventMemoryTests
{
    private const string CodexSid = "019da100-0000-7000-8000-00000000f1f1";
    private const string GeminiSid = "9f0c2b1e-3333-4222-8333-444455556666";

    private const string GeminiHead =
        "\"id\":\"g1\",\"timestamp\":\"2026-04-20T10:00:05.000Z\",\"type\":\"gemini\",\"content\":\"reading\",\"model\":\"gemini-2.5-pro\","
        + "\"tokens\":{\"input\":100,\"output\":5,\"cached\":0,\"thoughts\":0,\"tool\":0,\"total\":105},\"toolCalls\":[{\"id\":\"r1\",\"name\":\"run_shell_command\","
        + "\"args\":{\"command\":\"cat big.log\"},\"status\":\"success\",\"timestamp\":\"2026-04-20T10:00:06.000Z\",\"result\":[{\"functionResponse\":"
        + "{\"id\":\"r1\",\"name\":\"run_shell_command\",\"response\":{\"output\":\"";

    [Test]
    public async Task AgentFilesWithA200MbToolOutput_ImportStaysWithinTwiceTheLine()
    {
        // One at a time: each file is 200 MB.
        foreach (string kind in (string[])["codex", "gemini", "gemini-legacy"]) await ImportOneHugeOutput(kind);
    }

    private static async Task ImportOneHugeOutput(string kind)
    {
        using var t = new TempDir();
        string sid = kind == "codex" ? CodexSid : GeminiSid;
        string file = Path.Combine(t.Path, kind switch
        {
            "codex" => $"rollout-2026-04-20T10-00-00-{CodexSid}.jsonl",
            "gemini" => "session-2026-04-20T10-00-9f0c2b1e.jsonl",
            _ => "session-2026-04-20T10-00-9f0c2b1e.json",
        });
        long lineBytes = WriteAgentFile(kind, file);
        PeakRss.Result import = await PeakRss.RunAsync(["import", file], t.Path, s_timeout);
        await Assert.That(import.ExitCode).IsEqualTo(0).Because(import.ToString());
        await Assert.That(import.PeakBytes).IsLessThanOrEqualTo(2 * lineBytes + Slack).Because(kind + ": " + import);
        var events = StoreFiles.Events(Path.Combine(t.Store, sid));
        string preview = events.Single(e => e.Type() == "tool_result").Data().Str("content_preview");
        await Assert.That(preview).Contains(UnitDecoded + UnitDecoded).And.EndsWith("...");
        await Assert.That(preview.Length).IsLessThanOrEqualTo(2_003);
        await Assert.That(events.Count(e => e.Type() == "llm_response")).IsEqualTo(1);
        await Assert.That(StoreFiles.ChainIntact(Path.Combine(t.Store, sid))).IsTrue();
    }

    [Test]
    public async Task LegacyGeminiChatOf200Mb_IsStreamedWithin64MiB()
    {
        using var t = new TempDir();
        string file = Path.Combine(t.Path, "session-2026-04-20T10-00-9f0c2b1e.json");
        int pairs = WriteLegacyChat(file);
        PeakRss.Result import = await PeakRss.RunAsync(["import", file], t.Path, s_timeout);
        await Assert.That(import.ExitCode).IsEqualTo(0).Because(import.ToString());
        await Assert.That(import.PeakBytes).IsLessThanOrEqualTo(Slack).Because(import.ToString());
        var meta = StoreFiles.Meta(Path.Combine(t.Store, GeminiSid));
        await Assert.That(meta.GetProperty("llm_requests").GetInt64()).IsEqualTo(pairs);
        // Each reply: input 100 (cached 40 of it), output 5, thoughts 1 → 106 tokens.
        await Assert.That(meta.GetProperty("total_tokens").GetInt64()).IsEqualTo(106L * pairs);
    }

    [Test]
    public async Task GeminiChatOf69901SmallReplies_IsImportedWithin64MiB()
    {
        const int Pairs = 69_901;
        foreach (string form in (string[])["json", "jsonl"])
        {
            using var t = new TempDir();
            string file = Path.Combine(t.Path, "session-2026-04-20T10-00-9f0c2b1e." + form);
            WriteSmallReplies(file, Pairs, journal: form == "jsonl");
            PeakRss.Result import = await PeakRss.RunAsync(["import", file], t.Path, s_timeout);
            await Assert.That(import.ExitCode).IsEqualTo(0).Because(import.ToString());
            await Assert.That(import.PeakBytes).IsLessThanOrEqualTo(Slack).Because(form + ": " + import);
            var meta = StoreFiles.Meta(Path.Combine(t.Store, GeminiSid));
            await Assert.That(meta.GetProperty("llm_requests").GetInt64()).IsEqualTo(Pairs);
            // Each reply: input 100 (cached 40 of it), output 5, thoughts 1 → 106 tokens.
            await Assert.That(meta.GetProperty("total_tokens").GetInt64()).IsEqualTo(106L * Pairs);
        }
    }

    // A chat of prompt/reply pairs with uuid ids and nothing else, as one legacy document or as a journal of one message a line.
    private static void WriteSmallReplies(string path, int pairs, bool journal)
    {
        using var w = new StreamWriter(path);
        const string Head = $"\"sessionId\":\"{GeminiSid}\",\"projectHash\":\"abc\",\"startTime\":\"2026-04-20T10:00:00.000Z\"";
        w.Write(journal ? "{" + Head + ",\"kind\":\"main\"}\n" : "{" + Head + ",\"messages\":[");
        for (int i = 0; i < pairs; i++)
        {
            string user = $"{{\"id\":\"{new Guid(i * 2 + 1, 0, 0, new byte[8])}\",\"timestamp\":\"2026-04-20T10:00:01.000Z\",\"type\":\"user\",\"content\":\"prompt {i}\"}}";
            string reply = $"{{\"id\":\"{new Guid(i * 2 + 2, 0, 0, new byte[8])}\",\"timestamp\":\"2026-04-20T10:00:05.000Z\",\"type\":\"gemini\",\"content\":\"answer {i}\","
                + "\"model\":\"gemini-2.5-pro\",\"tokens\":{\"input\":100,\"output\":5,\"cached\":40,\"thoughts\":1,\"tool\":0,\"total\":106}}";
            if (journal) w.Write(user + "\n" + reply + "\n");
            else w.Write((i > 0 ? "," : "") + user + "," + reply);
        }
        if (!journal) w.Write("],\"lastUpdated\":\"2026-04-20T10:00:09.000Z\",\"summary\":\"many\"}\n");
    }

    // One file of the kind: a prompt, a call whose output is ContentBytes of escaped text, a model call; returns the big line's length.
    private static long WriteAgentFile(string kind, string path)
    {
        using var file = File.Create(path);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        long bytes;
        if (kind == "codex")
        {
            Line(file, $"{{\"timestamp\":\"2026-04-20T10:00:00.100Z\",\"type\":\"session_meta\",\"payload\":{{\"id\":\"{CodexSid}\",\"timestamp\":\"2026-04-20T10:00:00.000Z\",\"cwd\":\"/w\"}}}}");
            Line(file, "{\"timestamp\":\"2026-04-20T10:00:00.200Z\",\"type\":\"turn_context\",\"payload\":{\"model\":\"gpt-5.1-codex\"}}");
            Line(file, "{\"timestamp\":\"2026-04-20T10:00:01.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\",\"message\":\"cat the log\"}}");
            Line(file, "{\"timestamp\":\"2026-04-20T10:00:02.000Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"shell\",\"call_id\":\"c1\",\"arguments\":\"{\\\"command\\\":\\\"cat big.log\\\"}\"}}");
            bytes = Write(file, hash, "{\"timestamp\":\"2026-04-20T10:00:03.000Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"Exit code: 0\\nOutput:\\n");
            bytes += Content(file, hash) + Write(file, hash, "\"}}");
            file.WriteByte((byte)'\n');
            Line(file, "{\"timestamp\":\"2026-04-20T10:00:05.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":{\"total_token_usage\":{\"input_tokens\":100,\"output_tokens\":5,\"total_tokens\":105},\"last_token_usage\":{\"input_tokens\":100,\"output_tokens\":5,\"total_tokens\":105}}}}");
            return bytes;
        }
        const string Header = $"\"sessionId\":\"{GeminiSid}\",\"projectHash\":\"abc\",\"startTime\":\"2026-04-20T10:00:00.000Z\",\"lastUpdated\":\"2026-04-20T10:00:09.000Z\"";
        const string Prompt = "{\"id\":\"u1\",\"timestamp\":\"2026-04-20T10:00:01.000Z\",\"type\":\"user\",\"content\":\"cat the log\"}";
        if (kind == "gemini")
        {
            Line(file, "{" + Header + ",\"kind\":\"main\"}");
            Line(file, Prompt);
            bytes = Write(file, hash, "{" + GeminiHead);
        }
        else
        {
            // The legacy document is one line: the whole file is "the line".
            bytes = Write(file, hash, "{" + Header + ",\"messages\":[" + Prompt + ",{" + GeminiHead);
        }
        bytes += Content(file, hash) + Write(file, hash, "\"}}}]}]}" + (kind == "gemini" ? "" : "]}"));
        file.WriteByte((byte)'\n');
        return bytes;
    }

    // A legacy chat of ~200 MB of ordinary prompt/reply pairs (each reply with a 16 KB tool output); returns the pairs.
    private static int WriteLegacyChat(string path)
    {
        using var file = File.Create(path);
        static void Ascii(FileStream f, string s) => f.Write(System.Text.Encoding.ASCII.GetBytes(s));
        Ascii(file, $"{{\"sessionId\":\"{GeminiSid}\",\"projectHash\":\"abc\",\"startTime\":\"2026-04-20T10:00:00.000Z\",\"messages\":[");
        byte[] output = new byte[16_384];
        output.AsSpan().Fill((byte)'z');
        int pairs = 0;
        while (file.Length < ContentBytes)
        {
            Ascii(file, (pairs > 0 ? "," : "")
                + $"{{\"id\":\"u{pairs}\",\"timestamp\":\"2026-04-20T10:00:01.000Z\",\"type\":\"user\",\"content\":\"prompt {pairs}\"}},"
                + $"{{\"id\":\"g{pairs}\",\"timestamp\":\"2026-04-20T10:00:05.000Z\",\"type\":\"gemini\",\"content\":\"answer\",\"model\":\"gemini-2.5-pro\","
                + "\"tokens\":{\"input\":100,\"output\":5,\"cached\":40,\"thoughts\":1,\"tool\":0,\"total\":106},"
                + $"\"toolCalls\":[{{\"id\":\"r{pairs}\",\"name\":\"read_file\",\"args\":{{\"path\":\"/a\"}},\"status\":\"success\",\"timestamp\":\"2026-04-20T10:00:06.000Z\","
                + $"\"result\":[{{\"functionResponse\":{{\"id\":\"r{pairs}\",\"name\":\"read_file\",\"response\":{{\"output\":\"");
            file.Write(output);
            Ascii(file, "\"}}}]}]}");
            pairs++;
        }
        Ascii(file, "],\"lastUpdated\":\"2026-04-20T10:00:09.000Z\",\"summary\":\"many\"}\n");
        return pairs;
    }
}
