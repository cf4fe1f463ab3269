using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Agents;

/// <summary>
/// A 100 MB Codex rollout and a 100 MB Gemini CLI journal (generated here in the agents' own shapes) import in bounded
/// memory: the events stream into the store as the file is read. Peak RSS is the process's VmHWM, read from /proc
/// while it runs.
/// </summary>
[NotInParallel("large-import")]
public sealed class AgentImportMemoryTests
{
    private const long FileBytes = 100_000_000;
    private const long PeakLimitKb = 64 * 1024;
    private static readonly string s_filler = string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 74)); // ~2 KB

    [Test]
    public async Task CodexRollout_100MB_ImportsUnder64MiB()
    {
        if (!OperatingSystem.IsLinux()) Skip.Test("peak RSS is read from /proc (Linux only)");
        using var t = new TempDir();
        string path = Path.Combine(t.Path, "rollout-2026-04-20T09-00-00-019fb000-0000-7000-8000-00000000c0de.jsonl");
        int turns = WriteCodex(path);
        (CliResult r, long peakKb) = await ImportAsync(t, path);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        // Each turn: one call, one response counted once (its rate-limit re-send is not), 200 + 1000 cached + 50 tokens.
        await Assert.That(r.Stdout).Contains($"{turns} tool calls, {turns} LLM requests, {1250L * turns} tokens, 0 errors");
        await Assert.That(peakKb).IsLessThanOrEqualTo(PeakLimitKb).Because($"peak RSS {peakKb} KB importing {turns} turns");
    }

    [Test]
    public async Task GeminiJournal_100MB_ImportsUnder64MiB()
    {
        if (!OperatingSystem.IsLinux()) Skip.Test("peak RSS is read from /proc (Linux only)");
        using var t = new TempDir();
        string path = Path.Combine(t.Path, "session-2026-08-10T07-30-9a8b7c6d.jsonl");
        (int turns, int rewound) = WriteGemini(path);
        (CliResult r, long peakKb) = await ImportAsync(t, path);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        // Each reply is written twice (tokens and its call come with the second write); a rewound reply stays billed.
        int calls = turns + rewound;
        await Assert.That(r.Stdout).Contains($"{turns} tool calls, {calls} LLM requests, {1250L * calls} tokens, 0 errors");
        await Assert.That(peakKb).IsLessThanOrEqualTo(PeakLimitKb).Because($"peak RSS {peakKb} KB importing {turns} turns");
    }

    private static string Time(int i) => new DateTime(2026, 4, 20, 9, 0, 0, DateTimeKind.Utc).AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Turns of a Codex session until the file holds 100 MB; returns how many.</summary>
    private static int WriteCodex(string path)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        w.WriteLine("""{"timestamp":"@AT","type":"session_meta","payload":{"id":"019fb000-0000-7000-8000-00000000c0de","timestamp":"@AT","cwd":"/work/demo","originator":"codex_cli_rs","cli_version":"0.66.0","source":"cli","model_provider":"openai","git":{"branch":"main","commit_hash":"abc123"}}}""".Replace("@AT", Time(0)));
        string[] turnLines =
        [
            """{"timestamp":"@AT","type":"turn_context","payload":{"cwd":"/work/demo","approval_policy":"on-request","model":"gpt-5.1-codex"}}""",
            """{"timestamp":"@AT","type":"event_msg","payload":{"type":"user_message","message":"run step @N","images":[]}}""",
            """{"timestamp":"@AT","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"run step @N"}]}}""",
            """{"timestamp":"@AT","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"**Step @N**"}],"content":null,"encrypted_content":"@BLOB"}}""",
            """{"timestamp":"@AT","type":"response_item","payload":{"type":"function_call","name":"shell_command","arguments":"{\"command\":\"echo @N\",\"workdir\":\"/work/demo\"}","call_id":"call_@N"}}""",
            // One response, then the rate-limit re-send of the same totals (counted once).
            """{"timestamp":"@AT","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":@IN,"cached_input_tokens":@CACHED,"output_tokens":@OUT,"reasoning_output_tokens":@REASON,"total_tokens":@TOTAL},"last_token_usage":{"input_tokens":1200,"cached_input_tokens":1000,"output_tokens":50,"reasoning_output_tokens":20,"total_tokens":1250},"model_context_window":258400},"rate_limits":{"primary":{"used_percent":1.0}}}}""",
            """{"timestamp":"@AT","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":@IN,"cached_input_tokens":@CACHED,"output_tokens":@OUT,"reasoning_output_tokens":@REASON,"total_tokens":@TOTAL},"last_token_usage":{"input_tokens":1200,"cached_input_tokens":1000,"output_tokens":50,"reasoning_output_tokens":20,"total_tokens":1250},"model_context_window":258400},"rate_limits":{"primary":{"used_percent":2.0}}}}""",
            """{"timestamp":"@AT","type":"response_item","payload":{"type":"function_call_output","call_id":"call_@N","output":"Exit code: 0\nWall time: 0.1 seconds\nOutput:\n@FILLER"}}""",
            """{"timestamp":"@AT","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"step @N done"}]}}""",
        ];
        string blob = new('Q', 1500);
        int turn = 0;
        for (; w.BaseStream.Position < FileBytes; turn++)
        {
            long k = turn + 1;
            foreach (string line in turnLines)
            {
                w.WriteLine(line.Replace("@AT", Time(turn * 10 + 1)).Replace("@N", turn.ToString(CultureInfo.InvariantCulture)).Replace("@BLOB", blob)
                    .Replace("@FILLER", s_filler).Replace("@IN", N(1200 * k)).Replace("@CACHED", N(1000 * k)).Replace("@OUT", N(50 * k))
                    .Replace("@REASON", N(20 * k)).Replace("@TOTAL", N(1250 * k)));
            }
        }
        return turn;
    }

    /// <summary>Turns of a Gemini CLI journal until the file holds 100 MB, every 100th with a reply rewound; returns (turns, rewound replies).</summary>
    private static (int Turns, int Rewound) WriteGemini(string path)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        w.WriteLine("""{"sessionId":"9a8b7c6d-0000-4000-8000-00000000beef","projectHash":"p","startTime":"@AT","lastUpdated":"@AT","kind":"main"}""".Replace("@AT", Time(0)));
        const string Reply = """{"id":"g-@N","timestamp":"@AT","type":"gemini","content":"step @N done","model":"gemini-2.5-pro","thoughts":[{"subject":"Step","description":"@THOUGHT","timestamp":"@AT"}]""";
        const string Tokens = """{"input":1200,"output":40,"cached":1000,"thoughts":10,"tool":0,"total":1250}""";
        const string Call = """{"id":"run_shell_command-@N","name":"run_shell_command","args":{"command":"echo @N"},"result":[{"functionResponse":{"id":"run_shell_command-@N","name":"run_shell_command","response":{"output":"@FILLER"}}}],"status":"success","timestamp":"@AT"}""";
        string[] turnLines =
        [
            """{"id":"u-@N","timestamp":"@AT","type":"user","content":[{"text":"run step @N"}]}""",
            Reply + "}", // the reply is written first without tokens, then again with them and its call
            Reply + ",\"tokens\":" + Tokens + ",\"toolCalls\":[" + Call + "]}",
            """{"$set":{"lastUpdated":"@AT"}}""",
        ];
        string[] rewoundLines =
        [
            // A reply the user rewinds: it leaves the transcript but was paid for.
            """{"id":"u-@N-x","timestamp":"@AT","type":"user","content":"try again"}""",
            """{"id":"g-@N-x","timestamp":"@AT","type":"gemini","content":"discarded","model":"gemini-2.5-pro","tokens":""" + Tokens + "}",
            """{"$rewindTo":"u-@N-x"}""",
        ];
        int turn = 0, rewound = 0;
        for (; w.BaseStream.Position < FileBytes; turn++)
        {
            bool rewind = turn % 100 == 99;
            foreach (string line in rewind ? turnLines.Concat(rewoundLines) : turnLines)
            {
                w.WriteLine(line.Replace("@AT", Time(turn * 10 + 1)).Replace("@N", turn.ToString(CultureInfo.InvariantCulture))
                    .Replace("@THOUGHT", s_filler[..500]).Replace("@FILLER", s_filler));
            }
            if (rewind) rewound++;
        }
        return (turn, rewound);
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs <c>import FILE</c> and samples its VmHWM (the kernel's peak RSS, monotonic) until it exits.</summary>
    private static async Task<(CliResult Result, long PeakKb)> ImportAsync(TempDir t, string file)
    {
        var psi = new ProcessStartInfo(AgentStraceCli.BinaryPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--trace-dir", t.Store, "import", file }) psi.ArgumentList.Add(a);
        psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(t.Path, "no-config");
        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            peak = Math.Max(peak, VmHwmKb(process.Id));
            await Task.Delay(10);
        }
        if (!process.HasExited)
        {
            process.Kill();
            throw new TimeoutException("import did not finish within 5 minutes");
        }
        await process.WaitForExitAsync();
        return (new CliResult(process.ExitCode, await stdout, await stderr), peak);
    }

    private static long VmHwmKb(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { } // exited between the check and the read
        return 0;
    }
}
