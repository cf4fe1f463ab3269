using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Support;

/// <summary>
/// Runs the published binary and reports its peak resident set size as the kernel counts it (<c>wait4</c>'s
/// <c>ru_maxrss</c>, the figure GNU time prints), so a test needs no GNU time. The child is started with
/// <c>posix_spawn</c> and reaped here: .NET's own child handling only reaps the processes it started.
/// </summary>
[SupportedOSPlatform("linux")]
public static partial class PeakRss
{
    public sealed record Result(int ExitCode, long PeakBytes, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit {ExitCode}, peak RSS {PeakBytes / 1048576.0:F1} MiB, {Elapsed.TotalSeconds:F1} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
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
            int pid = Spawn(AgentStraceCli.BinaryPath, args, Environment(env), workingDirectory, input, output, error);
            (int status, long maxRssKb) = await Task.Run(() => Reap(pid, timeout));
            sw.Stop();
            int exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            return new Result(exit, maxRssKb * 1024, File.ReadAllText(output), File.ReadAllText(error), sw.Elapsed);
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

    private static (int Status, long MaxRssKb) Reap(int pid, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            int r = wait4(pid, out int status, deadline.Elapsed > timeout ? 0 : 1 /* WNOHANG */, out RUsage usage);
            if (r == pid) return (status, usage.MaxRss);
            if (r < 0) throw new InvalidOperationException($"wait4 failed: errno {Marshal.GetLastPInvokeError()}");
            if (deadline.Elapsed > timeout) kill(pid, 9);
            else Thread.Sleep(20);
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
