using System.Globalization;
using System.Runtime.InteropServices;

namespace AgentStrace.Capture.Hooks;

/// <summary>Parent-process lookups for the agent pid and attribution (Linux: /proc; other Unix: getppid only).</summary>
public static partial class ProcessInfo
{
    private static readonly string[] s_shells = ["sh", "bash", "dash", "zsh", "ash", "busybox", "fish"];

    /// <summary>
    /// The agent's pid: the hook's parent, or its grandparent when the parent is the shell Claude Code runs the hook
    /// command with (<c>/bin/sh -c "agent-strace hook ..."</c>). 0 when unknown.
    /// </summary>
    public static long AgentPid()
    {
        long parent = ParentOf(Environment.ProcessId);
        if (parent <= 1) return Math.Max(parent, 0);
        if (Array.IndexOf(s_shells, Name(parent)) >= 0)
        {
            long grand = ParentOf(parent);
            if (grand > 1) return grand;
        }
        return parent;
    }

    /// <summary>Parent pid of <paramref name="pid"/>, or 0.</summary>
    public static long ParentOf(long pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                string stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
                // "pid (comm) state ppid ..." where comm may contain spaces and parentheses.
                int close = stat.LastIndexOf(')');
                string[] rest = stat[(close + 2)..].Split(' ', 3);
                return rest.Length > 1 && long.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out long ppid) ? ppid : 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException) { return 0; }
        }
        if (pid == Environment.ProcessId && (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())) return GetParentPid();
        return 0;
    }

    /// <summary>Process name (Linux <c>/proc/&lt;pid&gt;/comm</c>), or "".</summary>
    public static string Name(long pid)
    {
        if (!OperatingSystem.IsLinux()) return "";
        try { return File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/comm")).Trim(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return ""; }
    }

    /// <summary>Names of the ancestors of this process, oldest first, at most <paramref name="max"/>.</summary>
    public static List<string> Ancestry(int max = 8)
    {
        var names = new List<string>();
        long pid = ParentOf(Environment.ProcessId);
        while (pid > 0 && names.Count < max)
        {
            string name = Name(pid);
            if (name.Length == 0) break;
            names.Add(name);
            if (pid == 1) break;
            pid = ParentOf(pid);
        }
        names.Reverse();
        return names;
    }

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentPid();
}
