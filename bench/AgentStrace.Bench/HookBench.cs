using System.Diagnostics;
using System.Globalization;

namespace AgentStrace.Bench;

/// <summary>
/// Hook budget (median ≤ 5 ms wall, ≤ 16 MiB RSS per call on a session with 100k events):
/// runs the AOT binary as Claude Code would, alternating PreToolUse / PostToolUse on one big session.
/// </summary>
public static class HookBench
{
    public static int Run(string binary, string storeDir, int runs)
    {
        string sid = SessionGenerator.Generate(storeDir, 49_000, 11);
        string sessionDir = Path.Combine(storeDir, sid);
        long lines = File.ReadLines(Path.Combine(sessionDir, "events.ndjson")).LongCount();
        var walls = new List<double>(runs);
        var baseline = new List<double>(runs);
        long peakKb = 0;
        string rssFile = Path.Combine(Path.GetTempPath(), "agent-strace-hookbench-" + Environment.ProcessId + ".rss");
        for (int i = 0; i < runs; i++)
        {
            // Spawn cost of the same path with /bin/true, so the hook's own cost can be separated from fork/exec.
            var bpsi = new ProcessStartInfo("/usr/bin/time") { UseShellExecute = false, ArgumentList = { "-f", "%M", "-o", rssFile, "/bin/true" } };
            var bsw = Stopwatch.StartNew();
            using (var b = Process.Start(bpsi)!) b.WaitForExit();
            baseline.Add(bsw.Elapsed.TotalMilliseconds);
            string ev = i % 2 == 0 ? "PreToolUse" : "PostToolUse";
            string payload = $$"""{"session_id":"{{sid}}-9a0d-4e8b","transcript_path":"/nonexistent/t.jsonl","cwd":"{{storeDir}}","permission_mode":"default","hook_event_name":"{{ev}}","tool_name":"Bash","tool_input":{"command":"npm test","description":"Run tests"},"tool_response":{"stdout":"ok","stderr":"","interrupted":false},"tool_use_id":"toolu_bench{{i / 2}}"}""";
            var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardInput = true, UseShellExecute = false, ArgumentList = { "-f", "%M", "-o", rssFile, binary, "hook", ev } };
            psi.Environment["AGENT_STRACE_DIR"] = storeDir;
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            p.StandardInput.Write(payload);
            p.StandardInput.Close();
            p.WaitForExit();
            walls.Add(sw.Elapsed.TotalMilliseconds);
            peakKb = Math.Max(peakKb, long.Parse(File.ReadAllText(rssFile).Trim(), CultureInfo.InvariantCulture));
            if (p.ExitCode != 0) { Console.Error.WriteLine($"hook exited {p.ExitCode}"); return 1; }
        }
        walls.Sort();
        baseline.Sort();
        File.Delete(rssFile);
        long after = File.ReadLines(Path.Combine(sessionDir, "events.ndjson")).LongCount();
        bool errors = File.Exists(Path.Combine(storeDir, "hook-errors.log"));
        Console.WriteLine(FormattableString.Invariant(
            $"hook: {runs} calls on a session of {lines} events (+{after - lines} written{(errors ? ", HOOK ERRORS LOGGED" : "")}): median {walls[walls.Count / 2]:0.00} ms, p90 {walls[(int)(walls.Count * 0.9)]:0.00} ms wall including spawn; spawn baseline (/bin/true, same path) median {baseline[baseline.Count / 2]:0.00} ms => hook median {walls[walls.Count / 2] - baseline[baseline.Count / 2]:0.00} ms; peak RSS {peakKb / 1024.0:0.0} MiB"));
        return 0;
    }
}
