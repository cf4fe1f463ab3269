using System.Diagnostics;

namespace AgentStrace.Live.Watchdog;

/// <summary>
/// Stops the agent process: SIGTERM (via <c>kill -TERM</c>, no P/Invoke), then SIGKILL
/// (<see cref="Process.Kill()"/>) when it is still running after the grace period. On Windows: terminate at once.
/// </summary>
public static class AgentKiller
{
    /// <summary>Returns what was done, for the alert log.</summary>
    public static async Task<string> KillAsync(int pid, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!IsRunning(pid)) return $"agent process {pid} is not running";
        if (OperatingSystem.IsWindows())
        {
            Kill(pid);
            return $"terminated agent process {pid}";
        }
        if (!await SendTermAsync(pid, cancellationToken))
        {
            Kill(pid);
            return $"sent SIGKILL to agent process {pid} (SIGTERM could not be sent)";
        }
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < grace)
        {
            if (!IsRunning(pid)) return $"sent SIGTERM to agent process {pid}; it exited";
            await Task.Delay(100, cancellationToken);
        }
        if (!IsRunning(pid)) return $"sent SIGTERM to agent process {pid}; it exited";
        Kill(pid);
        return $"sent SIGTERM to agent process {pid}, then SIGKILL after {grace.TotalSeconds:0.#}s";
    }

    public static bool IsRunning(int pid)
    {
        try
        {
            using Process p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using Process p = Process.GetProcessById(pid);
            p.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static async Task<bool> SendTermAsync(int pid, CancellationToken cancellationToken)
    {
        try
        {
            var psi = new ProcessStartInfo("kill") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add("-TERM");
            psi.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using Process? kill = Process.Start(psi);
            if (kill is null) return false;
            await kill.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return kill.ExitCode == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }
}
