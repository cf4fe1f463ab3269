using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace AgentStrace.Testing;

/// <summary>The AOT binary running in the background (watch), so a test can feed it, kill it and wait for it.</summary>
public sealed class BackgroundCli : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();

    public BackgroundCli(string workingDirectory, params string[] args) : this(workingDirectory, null, args)
    {
    }

    /// <param name="env">Variables to set (null value: remove) on top of the test's environment.</param>
    public BackgroundCli(string workingDirectory, IDictionary<string, string?>? env, params string[] args)
        : this(workingDirectory, env, args, defaultSigint: false)
    {
    }

    /// <summary>
    /// Started as from a terminal, with SIGINT at its default disposition even when the test process ignores it (a
    /// background job of a non-interactive shell does, and a child inherits that): GNU <c>env --default-signal</c> resets
    /// it and execs the binary, so <see cref="Pid"/> is the binary's.
    /// </summary>
    public static BackgroundCli WithDefaultSigint(string workingDirectory, params string[] args) =>
        new(workingDirectory, null, args, defaultSigint: true);

    private BackgroundCli(string workingDirectory, IDictionary<string, string?>? env, string[] args, bool defaultSigint)
    {
        var psi = new ProcessStartInfo(defaultSigint ? "env" : AgentStraceCli.BinaryPath)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        if (defaultSigint)
        {
            psi.ArgumentList.Add("--default-signal=INT");
            psi.ArgumentList.Add(AgentStraceCli.BinaryPath);
        }
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (string key in new[] { "AGENT_STRACE_DIR", "AGENT_TRACE_DIR", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES" })
        {
            psi.Environment.Remove(key);
        }
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
            }
        }
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Sends a POSIX signal (SIGINT 2, SIGTERM 15, SIGSTOP 19, SIGCONT 18 on Linux) to the process.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"agent-strace did not exit within {timeout.TotalSeconds}s\n--- stderr\n{Stderr}");
        }
        _process.WaitForExit(); // flush the async readers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to flush anything.</summary>
    public void KillHard() => _process.Kill();

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}

/// <summary>Bounded polling for conditions in end-to-end tests.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }
}
