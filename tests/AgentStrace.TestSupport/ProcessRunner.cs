using System.Diagnostics;
using System.Text;
namespace AgentStrace.Testing;

/// <summary>Runs any program (shells, pwsh, qemu, dotnet) with a bounded wait and an exact environment.</summary>
public static class ProcessRunner
{
    /// <param name="cleanEnv">Start from an empty environment (plus <paramref name="env"/>) instead of the test's.</param>
    public static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        IDictionary<string, string?>? env = null, string? workingDirectory = null, bool cleanEnv = false, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        if (cleanEnv) psi.Environment.Clear();
        // An installer under test must only ever see the base URL the test gives it.
        psi.Environment.Remove("AGENT_STRACE_BASE_URL");
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
            }
        }
        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await FeedStdinAsync(process, stdin);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not exit within {timeout.TotalSeconds}s");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Writes <paramref name="stdin"/> and closes it. A child may exit (or close its stdin) before reading it
    /// all, e.g. on a usage error: the broken pipe that follows is its right, not a test failure.</summary>
    private static async Task FeedStdinAsync(Process process, string? stdin)
    {
        try
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
            await process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
        }
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The full path of <paramref name="exe"/> on PATH, or null.</summary>
    public static string? Which(string exe) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, exe)).FirstOrDefault(File.Exists);
}
