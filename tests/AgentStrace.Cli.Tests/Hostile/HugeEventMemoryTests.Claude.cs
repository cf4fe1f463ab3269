using System.Globalization;
using System.Text;
using AgentStrace.Cli.Tests.Capture;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Hostile;

/// <summary>
/// A Claude Code transcript of ordinary lines (prompts, hook progress, responses split over lines, tool results, a
/// sub-agent with its own file and sub-agents seen only through mirrored progress lines) is imported in at most
/// 64 MiB: a 512 MiB file peaks within 12 MiB of a 64 MiB one (only the per-request index grows), with every request
/// and token counted and priced exactly.
/// </summary>
public sealed partial class HugeEventMemoryTests
{
    internal const string ClaudeSid = "7d3c5b1a-1111-4222-8333-444455556666";

    [Test]
    public async Task ClaudeTranscriptOf512Mb_IsImportedWithin64MiB_AndDoesNotGrowWithItsSize()
    {
        long small = await ImportGeneratedTranscript(64L << 20);
        long large = await ImportGeneratedTranscript(512L << 20);
        // Eight times the bytes (and requests): only the per-request index grows, by about 100 bytes a request (~70,000
        // more here), where holding the lines grew by several times the file.
        await Assert.That(large - small).IsLessThanOrEqualTo(12L << 20).Because($"64 MiB file: {small / 1048576.0:F1} MiB, 512 MiB file: {large / 1048576.0:F1} MiB");
    }

    private static async Task<long> ImportGeneratedTranscript(long bytes)
    {
        using var t = new TempDir();
        string file = Path.Combine(t.Path, "projects", "-home-dev-p", ClaudeSid + ".jsonl");
        Totals expected = WriteClaudeTranscript(file, bytes);
        PeakRss.Result import = await PeakRss.RunAsync(["import", file], t.Path, s_timeout);
        await Assert.That(import.ExitCode).IsEqualTo(0).Because(import.ToString());
        await Assert.That(import.PeakBytes).IsLessThanOrEqualTo(Slack).Because(import.ToString());

        PeakRss.Result cost = await PeakRss.RunAsync(["--trace-dir", t.Store, "cost", ClaudeSid, "--format", "json"], t.Path, s_timeout);
        await Assert.That(cost.ExitCode).IsEqualTo(0).Because(cost.ToString());
        using var report = System.Text.Json.JsonDocument.Parse(cost.Stdout);
        long calls = 0, input = 0, output = 0, write = 0, read = 0;
        foreach (var s in report.RootElement.GetProperty("sessions").EnumerateArray())
        {
            calls += s.GetProperty("calls").GetInt64();
            input += s.GetProperty("input_tokens").GetInt64();
            output += s.GetProperty("output_tokens").GetInt64();
            write += s.GetProperty("cache_write_tokens").GetInt64();
            read += s.GetProperty("cache_read_tokens").GetInt64();
        }
        await Assert.That((calls, input, output, write, read)).IsEqualTo((expected.Requests, expected.Input, expected.Output, expected.CacheWrite, expected.CacheRead));
        // claude-sonnet-4-5 per million tokens: input $3, output $15, 5-minute cache write $3.75, cache read $0.30.
        decimal usd = (expected.Input * 3m + expected.Output * 15m + expected.CacheWrite * 3.75m + expected.CacheRead * 0.30m) / 1_000_000m;
        // The report rounds to the microdollar.
        await Assert.That(Math.Abs(report.RootElement.GetProperty("total_usd").GetDecimal() - usd)).IsLessThanOrEqualTo(0.000001m);
        await Assert.That(Directory.GetDirectories(t.Store).Length).IsEqualTo(expected.Sessions);
        await Assert.That(StoreFiles.ChainIntact(Path.Combine(t.Store, ClaudeSid))).IsTrue();
        return import.PeakBytes;
    }

    internal sealed record Totals(long Requests, long Input, long Output, long CacheWrite, long CacheRead, int Sessions);

    /// <summary>Turns of ~1.3 KB lines until the main file reaches <paramref name="bytes"/>.</summary>
    internal static Totals WriteClaudeTranscript(string path, long bytes)
    {
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(path)!, ClaudeSid, "subagents"));
        using var main = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        using var sub = new StreamWriter(Path.Combine(Path.GetDirectoryName(path)!, ClaudeSid, "subagents", "agent-sub1.jsonl"), false, new UTF8Encoding(false), 1 << 20);
        string thinking = string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 33));
        string listing = string.Concat(Enumerable.Repeat("drwxr-xr-x  5 user user  4096 Apr 20 10:00 src\\n", 12));
        long requests = 0, input = 0, output = 0, write = 0, read = 0, ms = 0;
        var mirrors = new HashSet<string>(StringComparer.Ordinal);
        string Ts() => new DateTime(2026, 4, 20, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        void Call(StreamWriter f, long k, string agent, string parentTool)
        {
            string tag = agent.Length > 0 ? "s" : "m", id = tag + k.ToString("D7", CultureInfo.InvariantCulture);
            long inTokens = 1000 + k % 97;
            string side = agent.Length > 0 ? $"true,\"agentId\":\"{agent}\"" : "false";
            string[] blocks =
            [
                $"{{\"type\":\"thinking\",\"thinking\":\"{thinking}\"}}",
                $"{{\"type\":\"text\",\"text\":\"Let me look at file {k}.\"}}",
                $"{{\"type\":\"tool_use\",\"id\":\"toolu_{id}\",\"name\":\"Bash\",\"input\":{{\"command\":\"ls -la src/{k}\",\"description\":\"list\"}}}}",
            ];
            for (int i = 0; i < 3; i++)
            {
                ms += 150;
                string line = $"{{\"parentUuid\":null,\"isSidechain\":{side},\"cwd\":\"/home/dev/p\",\"sessionId\":\"{ClaudeSid}\",\"version\":\"2.1.38\",\"gitBranch\":\"main\","
                    + $"\"message\":{{\"model\":\"claude-sonnet-4-5-20250929\",\"id\":\"msg_{id}\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{blocks[i]}],"
                    + $"\"stop_reason\":{(i == 2 ? "\"tool_use\"" : "null")},\"usage\":{{\"input_tokens\":{inTokens},\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":5000,\"output_tokens\":{10 + 40 * i}}}}},"
                    + $"\"requestId\":\"req_{id}\",\"type\":\"assistant\",\"uuid\":\"a{id}-{i}\",\"timestamp\":\"{Ts()}\"}}";
                f.Write(line);
                f.Write('\n');
                if (parentTool.Length > 0)
                {
                    main.Write($"{{\"type\":\"progress\",\"data\":{{\"type\":\"agent_progress\",\"agentId\":\"{agent}\",\"message\":{line}}},\"parentToolUseID\":\"{parentTool}\",\"sessionId\":\"{ClaudeSid}\",\"timestamp\":\"{Ts()}\",\"uuid\":\"p{id}-{i}\"}}\n");
                }
            }
            requests++;
            input += inTokens;
            output += 90;
            write += 200;
            read += 5000;
            ms += 300;
            f.Write($"{{\"parentUuid\":null,\"isSidechain\":{side},\"cwd\":\"/home/dev/p\",\"sessionId\":\"{ClaudeSid}\",\"version\":\"2.1.38\",\"gitBranch\":\"main\",\"type\":\"user\","
                + $"\"message\":{{\"role\":\"user\",\"content\":[{{\"tool_use_id\":\"toolu_{id}\",\"type\":\"tool_result\",\"content\":\"{listing}\",\"is_error\":{(k % 50 == 0 ? "true" : "false")}}}]}},"
                + $"\"uuid\":\"r{id}\",\"timestamp\":\"{Ts()}\",\"toolUseResult\":{{\"stdout\":\"ok\",\"stderr\":\"\",\"interrupted\":false}}}}\n");
        }

        for (long k = 0; main.BaseStream.Position < bytes; k++)
        {
            ms += 1000;
            main.Write($"{{\"type\":\"user\",\"message\":{{\"role\":\"user\",\"content\":\"please do step {k} of the plan\"}},\"uuid\":\"u{k}\",\"timestamp\":\"{Ts()}\",\"sessionId\":\"{ClaudeSid}\",\"cwd\":\"/home/dev/p\",\"version\":\"2.1.38\",\"gitBranch\":\"main\",\"isSidechain\":false}}\n");
            main.Write($"{{\"type\":\"progress\",\"data\":{{\"type\":\"hook_progress\",\"hookEvent\":\"PreToolUse\",\"command\":\"agent-strace hook PreToolUse\"}},\"parentToolUseID\":\"toolu_m{k:D7}\",\"toolUseID\":\"toolu_m{k:D7}\",\"timestamp\":\"{Ts()}\",\"uuid\":\"h{k}\",\"sessionId\":\"{ClaudeSid}\"}}\n");
            Call(main, k, "", "");
            if (k % 20 == 0) Call(sub, k, "sub1", "");
            if (k % 25 == 0)
            {
                string agent = "mir" + (k / 5000).ToString(CultureInfo.InvariantCulture);
                mirrors.Add(agent);
                Call(StreamWriter.Null, k, agent, $"toolu_m{k:D7}");
            }
        }
        return new Totals(requests, input, output, write, read, Sessions: 2 + mirrors.Count);
    }
}
