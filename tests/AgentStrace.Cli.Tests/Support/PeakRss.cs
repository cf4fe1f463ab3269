using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Support;

/// <summary>
/// Runs the published binary and reports its own peak resident set size, so a test needs no GNU time. The child is
/// started with <c>posix_spawn</c> and reaped here: .NET's own child handling only reaps the processes it started.
/// <c>posix_spawn</c> runs the child in this process's memory until its exec, and the kernel then carries this
/// process's high-water mark into the child's <c>ru_maxrss</c>: a test host that once held 500 MB made a 215 MB child
/// read as 500 MB. So this process's mark is lowered to its current size first, and when the child's
/// <c>ru_maxrss</c> is not above this process's mark, the child's own mark (<c>VmHWM</c>, read while it runs) is used.
/// </summary>
[SupportedOSPlatform("linux")]
public static partial class PeakRss
{
    /// <param name="PeakBytes">The child's peak RSS.</param>
    /// <param name="SpawnerPeakBytes">This process's own high-water mark when the child started: a <c>ru_maxrss</c> at
    /// or below it may be this process's, not the child's.</param>
    public sealed record Result(int ExitCode, long PeakBytes, string Stdout, string Stderr, TimeSpan Elapsed, long SpawnerPeakBytes = 0)
    {
        public override string ToString() =>
            $"exit {ExitCode}, peak RSS {PeakBytes / 1048576.0:F1} MiB (spawner's mark {SpawnerPeakBytes / 1048576.0:F1} MiB), {Elapsed.TotalSeconds:F1} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static async Task<Result> RunAsync(IReadOnlyList<string> args, string workingDirectory, TimeSpan timeout, string? stdin = null,
        IDictionary<string, string?>? env = null)
    {
        string io = Path.Combine(Path.GetTempPath(), "agent-strace-rss-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(io);
        try
        {
            string input = Path.Combine(io, "stdin"), output = Path.Combine(io, "stdout"), error = Path.Combine(io, "stderr");
            File.WriteAllText(input, stdin ?? "");
            var sw = Stopwatch.StartNew();
            ResetOwnPeak();
            int pid = Spawn(AgentStraceCli.BinaryPath, args, Environment(env), workingDirectory, input, output, error);
            // Read after the spawn: at least the mark the child's exec saw (other threads may have grown it since).
            long spawnerKb = HighWaterKb("/proc/self/status");
            (int status, long maxRssKb, long ownKb) = await Task.Run(() => Reap(pid, timeout));
            sw.Stop();
            int exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            // Above the spawner's mark, ru_maxrss is the child's own peak; at or below it, the child's own VmHWM as last
            // read (a process too short to be read keeps ru_maxrss, an upper bound).
            long peakKb = maxRssKb > spawnerKb || ownKb == 0 ? maxRssKb : ownKb;
            return new Result(exit, peakKb * 1024, File.ReadAllText(output), File.ReadAllText(error), sw.Elapsed, spawnerKb * 1024);
        }
        finally
        {
            Directory.Delete(io, recursive: true);
        }
    }

    // What AgentStraceCli gives every run: no developer store, collector or configuration.
    private static List<string> Environment(IDictionary<string, string?>? overrides)
    {
        var vars = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables()) vars[(string)e.Key] = (string?)e.Value;
        foreach (string key in new[] { "AGENT_STRACE_DIR", "AGENT_TRACE_DIR", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY", "CLAUDE_PROJECT_DIR" })
        {
            vars.Remove(key);
        }
        vars["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "agent-strace-tests-no-user-config");
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>()) vars[k] = v;
        return vars.Where(kv => kv.Value is not null).Select(kv => kv.Key + "=" + kv.Value).ToList();
    }

    private static int Spawn(string exe, IReadOnlyList<string> args, List<string> env, string cwd, string stdin, string stdout, string stderr)
    {
        var allocated = new List<IntPtr>();
        IntPtr actions = Marshal.AllocHGlobal(256); // posix_spawn_file_actions_t is 80 bytes on glibc
        try
        {
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(posix_spawn_file_actions_addopen(actions, 0, stdin, 0 /* O_RDONLY */, 0), "addopen stdin");
            Check(posix_spawn_file_actions_addopen(actions, 1, stdout, 0x241 /* O_WRONLY|O_CREAT|O_TRUNC */, 0x180), "addopen stdout");
            Check(posix_spawn_file_actions_addopen(actions, 2, stderr, 0x241, 0x180), "addopen stderr");
            Check(posix_spawn_file_actions_addchdir_np(actions, cwd), "addchdir");
            IntPtr[] argv = Strings([exe, .. args], allocated);
            IntPtr[] envp = Strings(env, allocated);
            Check(posix_spawn(out int pid, exe, actions, IntPtr.Zero, argv, envp), "posix_spawn " + exe);
            return pid;
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            Marshal.FreeHGlobal(actions);
            foreach (IntPtr p in allocated) Marshal.FreeCoTaskMem(p);
        }
    }

    private static IntPtr[] Strings(IEnumerable<string> values, List<IntPtr> allocated)
    {
        var list = new List<IntPtr>();
        foreach (string v in values)
        {
            IntPtr p = Marshal.StringToCoTaskMemUTF8(v);
            allocated.Add(p);
            list.Add(p);
        }
        list.Add(IntPtr.Zero);
        return [.. list];
    }

    // "5" lowers this process's high-water mark to its current RSS (Linux 4.0+); where that is refused, the
    // comparison in RunAsync still holds, only more often on the child's own reading.
    private static void ResetOwnPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    // VmHWM in KiB, or 0 when unreadable (the process has exited).
    private static long HighWaterKb(string statusFile)
    {
        try
        {
            foreach (string line in File.ReadLines(statusFile))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return 0;
    }

    private static (int Status, long MaxRssKb, long OwnKb) Reap(int pid, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        long own = 0;
        while (true)
        {
            own = Math.Max(own, HighWaterKb($"/proc/{pid}/status"));
            int r = wait4(pid, out int status, deadline.Elapsed > timeout ? 0 : 1 /* WNOHANG */, out RUsage usage);
            if (r == pid) return (status, usage.MaxRss, own);
            if (r < 0) throw new InvalidOperationException($"wait4 failed: errno {Marshal.GetLastPInvokeError()}");
            if (deadline.Elapsed > timeout) kill(pid, 9);
            else Thread.Sleep(10);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"{what} failed: error {rc}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        public long MaxRss; // KiB
        public long Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn(out int pid, string path, IntPtr fileActions, IntPtr attributes, IntPtr[] argv, IntPtr[] envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(IntPtr actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(IntPtr actions);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(IntPtr actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addchdir_np(IntPtr actions, string path);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int wait4(int pid, out int status, int options, out RUsage usage);

    [LibraryImport("libc")]
    private static partial int kill(int pid, int signal);
}
