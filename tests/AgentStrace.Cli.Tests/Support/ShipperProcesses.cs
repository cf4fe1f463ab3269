using AgentStrace.Testing;
namespace AgentStrace.Cli.Tests.Support;

/// <summary>
/// The running <c>agent-strace ship</c> processes of one store, found in <c>/proc</c>: the published binary with the
/// argument <c>ship</c>, started on the store (<c>--trace-dir STORE</c>, as a hook starts it) or in the project or store
/// directory (as a test or a user runs it). The lock file cannot tell: its holder keeps an exclusive flock on it, so a
/// plain read of the pid inside fails while a shipper runs, and a stale pid stays behind when it is killed.
/// </summary>
public static class ShipperProcesses
{
    public static List<int> Find(string store, string project)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux()) return found;
        string binary = Path.GetFullPath(AgentStraceCli.BinaryPath);
        string[] dirs = [Path.GetFullPath(store).TrimEnd('/'), Path.GetFullPath(project).TrimEnd('/')];
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId) continue;
            try
            {
                string[] args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (args.Length < 2 || !args.Contains("ship")) continue;
                if (args[0] != binary && LinkTarget(Path.Combine(dir, "exe")) != binary) continue;
                int at = Array.IndexOf(args, "--trace-dir");
                bool ours = (at >= 0 && at + 1 < args.Length && dirs.Contains(Path.GetFullPath(args[at + 1]).TrimEnd('/')))
                    || dirs.Contains(LinkTarget(Path.Combine(dir, "cwd")));
                if (ours && Alive(pid)) found.Add(pid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // gone meanwhile, or not ours to read
        }
        return found;
    }

    /// <summary>True while the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool Alive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>SIGKILLs every shipper of the store and waits (bounded) until each is gone; returns how many were killed.</summary>
    public static async Task<int> KillAllAsync(string store, string project, TimeSpan timeout)
    {
        List<int> pids = Find(store, project);
        foreach (int pid in pids)
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                p.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { } // exited meanwhile
        }
        bool gone = await Eventually.TrueAsync(() => Task.FromResult(pids.All(pid => !Alive(pid))), timeout);
        if (!gone) throw new TimeoutException($"shipper process(es) {string.Join(", ", pids)} still alive after SIGKILL");
        return pids.Count;
    }

    private static string LinkTarget(string path)
    {
        try { return new FileInfo(path).LinkTarget?.TrimEnd('/') ?? ""; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return ""; }
    }
}
