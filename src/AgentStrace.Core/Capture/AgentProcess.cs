using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Capture;

/// <summary>
/// Who the agent process was at capture: pid, start time and executable name, kept in
/// <c>&lt;session&gt;/.agent-process.json</c> (not in meta.json, which holds only keys the Python tool knows). A pid
/// alone names whatever process has it now; with the start time the watchdog can tell the agent from a process that
/// reused its pid. Start time: Linux <c>/proc/&lt;pid&gt;/stat</c> field 22 (clock ticks since boot), macOS
/// <c>proc_pidinfo</c> (seconds and microseconds since the epoch), Windows the process creation time.
/// </summary>
public sealed record AgentProcess(long Pid, string StartTime, string Exe)
{
    public const string FileName = ".agent-process.json";

    /// <summary>The identity of the live process <paramref name="pid"/>, or null when it does not exist (or cannot be read).</summary>
    public static AgentProcess? Of(long pid)
    {
        if (pid <= 1 || pid > int.MaxValue) return null;
        try
        {
            if (OperatingSystem.IsLinux()) return Linux(pid);
            if (OperatingSystem.IsMacOS()) return MacOs((int)pid);
            using var p = System.Diagnostics.Process.GetProcessById((int)pid);
            return new AgentProcess(pid, p.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture), p.ProcessName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException
            or System.ComponentModel.Win32Exception or FormatException or EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether <see cref="Of"/> of the same pid now is this record (same start time and executable).</summary>
    public bool IsStillRunning(out string why)
    {
        AgentProcess? now = Of(Pid);
        if (now is null)
        {
            why = $"process {Pid} is not running";
            return false;
        }
        if (now.StartTime != StartTime || now.Exe != Exe)
        {
            why = $"pid {Pid} now belongs to another process ({Describe(now)}; the agent recorded at capture was {Describe(this)})";
            return false;
        }
        why = "";
        return true;
    }

    private static string Describe(AgentProcess p) => $"'{p.Exe}' started at {p.StartTime}";

    public void Write(string sessionDir)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        w.WriteNumber("pid", Pid);
        w.WriteString("start_time", StartTime);
        w.WriteString("exe", Exe);
        w.WriteEndObject();
        SafeFile.WriteAtomic(Path.Combine(sessionDir, FileName), buffer.WrittenSpan);
    }

    /// <summary>The record of a session, or null when none was written (or it is unreadable).</summary>
    public static AgentProcess? Read(string sessionDir)
    {
        try
        {
            if (SafeFile.TryReadAllBytes(Path.Combine(sessionDir, FileName), 64 << 10) is not { } bytes) return null;
            var o = new RawJsonObject(bytes);
            long pid = o.GetInt64("pid"u8) ?? 0;
            string start = o.GetString("start_time"u8);
            return pid > 1 && start.Length > 0 ? new AgentProcess(pid, start, o.GetString("exe"u8)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException) { return null; }
    }

    private static AgentProcess? Linux(long pid)
    {
        string? stat = SafeFile.TryReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"), 8192);
        if (stat is null) return null;
        // "pid (comm) state ppid ..." where comm may contain spaces and parentheses; starttime is field 22.
        int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        string[] rest = stat[(close + 2)..].Split(' ');
        return rest.Length > 19 ? new AgentProcess(pid, rest[19], stat[(open + 1)..close]) : null;
    }

    private static unsafe AgentProcess? MacOs(int pid)
    {
        const int ProcPidTbsdInfo = 3, InfoSize = 136;
        byte* info = stackalloc byte[InfoSize];
        if (ProcPidInfo(pid, ProcPidTbsdInfo, 0, info, InfoSize) != InfoSize) return null;
        var comm = new ReadOnlySpan<byte>(info + 48, 16);
        int nul = comm.IndexOf((byte)0);
        string exe = Encoding.UTF8.GetString(nul >= 0 ? comm[..nul] : comm);
        ulong sec = *(ulong*)(info + 120), usec = *(ulong*)(info + 128);
        return new AgentProcess(pid, string.Create(CultureInfo.InvariantCulture, $"{sec}.{usec:D6}"), exe);
    }

    [DllImport("libc", EntryPoint = "proc_pidinfo")]
    private static extern unsafe int ProcPidInfo(int pid, int flavor, ulong arg, byte* buffer, int size);
}
