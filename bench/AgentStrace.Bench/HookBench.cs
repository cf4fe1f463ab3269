using System.Diagnostics;
using System.Globalization;

namespace AgentStrace.Bench;

/// <summary>
/// Hook budget (median ≤ 5 ms wall, ≤ 16 MiB RSS per call on a session with 100k events):
/// runs the AOT binary as Claude Code would, alternating PreToolUse / PostToolUse on one big session. With
/// <c>subagents</c> &gt; 0 the session has that many running sub-agents (2 MiB transcripts, none naming the call), the
/// worst case of the per-call attribution lookup.
/// </summary>
public static class HookBench
{
    /// <param name="ship">Shipping configured (a user configuration with <c>ship.to</c> at a closed loopback port), and every
    /// tenth call a Stop, which hands the session to the outbox and starts the detached shipper when none runs.</param>
    public static int Run(string binary, string storeDir, int runs, int subagents = 0, bool ship = false)
    {
        string configHome = Path.Combine(storeDir, "config-home");
        if (ship)
        {
            Directory.CreateDirectory(Path.Combine(configHome, "agent-strace"));
            File.WriteAllText(Path.Combine(configHome, "agent-strace", "config.json"), """{"ship":{"to":"http://127.0.0.1:9/","format":"otlp-genai"}}""");
        }
        var stops = new List<double>();
        string sid = SessionGenerator.Generate(storeDir, 49_000, 11);
        string transcript = subagents > 0 ? Subagents(Path.Combine(storeDir, "claude"), sid, subagents) : "/nonexistent/t.jsonl";
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
            string ev = ship && i % 10 == 9 ? "Stop" : i % 2 == 0 ? "PreToolUse" : "PostToolUse";
            string payload = $$"""{"session_id":"{{sid}}-9a0d-4e8b","transcript_path":"{{transcript}}","cwd":"{{storeDir}}","permission_mode":"default","hook_event_name":"{{ev}}","tool_name":"Bash","tool_input":{"command":"npm test","description":"Run tests"},"tool_response":{"stdout":"ok","stderr":"","interrupted":false},"tool_use_id":"toolu_bench{{i / 2}}"}""";
            var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardInput = true, UseShellExecute = false, ArgumentList = { "-f", "%M", "-o", rssFile, binary, "hook", ev } };
            psi.Environment["AGENT_STRACE_DIR"] = storeDir;
            psi.Environment["XDG_CONFIG_HOME"] = configHome;
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            p.StandardInput.Write(payload);
            p.StandardInput.Close();
            p.WaitForExit();
            walls.Add(sw.Elapsed.TotalMilliseconds);
            if (ev == "Stop") stops.Add(sw.Elapsed.TotalMilliseconds);
            peakKb = Math.Max(peakKb, long.Parse(File.ReadAllText(rssFile).Trim(), CultureInfo.InvariantCulture));
            if (p.ExitCode != 0) { Console.Error.WriteLine($"hook exited {p.ExitCode}"); return 1; }
        }
        walls.Sort();
        baseline.Sort();
        stops.Sort();
        if (ship && stops.Count > 0)
        {
            string outbox = Path.Combine(storeDir, ".outbox");
            int queued = Directory.Exists(outbox) ? Directory.GetFiles(outbox, "0*.json").Length : 0;
            Console.WriteLine(FormattableString.Invariant(
                $"hook (shipping configured): {stops.Count} Stop calls: median {stops[stops.Count / 2]:0.00} ms, max {stops[^1]:0.00} ms wall including spawn; {queued} hand-over(s) still queued (the collector is down)"));
            // The detached shipper would keep retrying the closed port: stop it. It holds an exclusive flock on its lock
            // file (a plain read of the pid in it fails), so it is found in /proc by its command line instead.
            int stopped = StopShippers(binary, storeDir);
            Console.WriteLine($"stopped {stopped} background shipper(s) left running");
        }
        File.Delete(rssFile);
        long after = File.ReadLines(Path.Combine(sessionDir, "events.ndjson")).LongCount();
        bool errors = File.Exists(Path.Combine(storeDir, "hook-errors.log"));
        Console.WriteLine(FormattableString.Invariant(
            $"hook: {runs} calls on a session of {lines} events, {subagents} running sub-agents (+{after - lines} written{(errors ? ", HOOK ERRORS LOGGED" : "")}): median {walls[walls.Count / 2]:0.00} ms, p90 {walls[(int)(walls.Count * 0.9)]:0.00} ms, p99 {walls[Math.Min(walls.Count - 1, (int)(walls.Count * 0.99))]:0.00} ms wall including spawn; spawn baseline (/bin/true, same path) median {baseline[baseline.Count / 2]:0.00} ms => hook median {walls[walls.Count / 2] - baseline[baseline.Count / 2]:0.00} ms, p99 {walls[Math.Min(walls.Count - 1, (int)(walls.Count * 0.99))] - baseline[baseline.Count / 2]:0.00} ms; peak RSS {peakKb / 1024.0:0.0} MiB"));
        return 0;
    }

    /// <summary>SIGKILLs the <c>agent-strace --trace-dir STORE ship</c> processes the hooks started; returns how many.</summary>
    private static int StopShippers(string binary, string storeDir)
    {
        string exe = Path.GetFullPath(binary), store = Path.GetFullPath(storeDir);
        int stopped = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out int pid)) continue;
            try
            {
                string[] args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                int at = Array.IndexOf(args, "--trace-dir");
                if (args.Length < 4 || args[0] != exe || !args.Contains("ship") || at < 0 || at + 1 >= args.Length || Path.GetFullPath(args[at + 1]) != store) continue;
                using var shipper = Process.GetProcessById(pid);
                shipper.Kill();
                stopped++;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException) { }
        }
        return stopped;
    }

    /// <summary>A parent transcript and <paramref name="count"/> running sub-agents' transcripts of 2 MiB each.</summary>
    private static string Subagents(string dir, string sid, int count)
    {
        string parent = Path.Combine(dir, sid + "-9a0d-4e8b.jsonl");
        string sub = Path.Combine(dir, sid + "-9a0d-4e8b", "subagents");
        Directory.CreateDirectory(sub);
        const string Line = """{"isSidechain":true,"agentId":"AGENT","type":"assistant","message":{"id":"msg_x","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":"toolu_other","name":"Read","input":{"file_path":"/tmp/x"}}],"usage":{"input_tokens":1,"output_tokens":1}},"requestId":"req_x"}""";
        File.WriteAllText(parent, Line.Replace("\"isSidechain\":true", "\"isSidechain\":false", StringComparison.Ordinal) + "\n");
        for (int i = 0; i < count; i++)
        {
            string id = "a" + i.ToString("x16", CultureInfo.InvariantCulture);
            using (var w = new StreamWriter(Path.Combine(sub, "agent-" + id + ".jsonl")))
            {
                for (long size = 0; size < 2 << 20; size += Line.Length + 1) w.Write(Line.Replace("AGENT", id, StringComparison.Ordinal) + "\n");
            }
            File.WriteAllText(Path.Combine(sub, "agent-" + id + ".meta.json"), """{"agentType":"general-purpose","toolUseId":"toolu_spawn"}""");
        }
        return parent;
    }
}
