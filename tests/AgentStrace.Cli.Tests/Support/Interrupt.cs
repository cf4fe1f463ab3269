using System.Diagnostics;
using System.Security.Cryptography;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Support;

/// <summary>Signalling the published binary mid-work, as Ctrl-C (SIGINT) or a service manager (SIGTERM) would.</summary>
internal static class Interrupt
{
    public const int Sigint = 2, Sigterm = 15, Sigcont = 18, Sigstop = 19;

    /// <summary>How soon a signalled command must have exited: well within the framework's 5 s forced stop.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(4);

    /// <summary>
    /// A process started in the background by a non-interactive shell ignores SIGINT, and so do its children (the
    /// binary rightly keeps an inherited "ignore"): then the binary is started with SIGINT reset, as from a terminal.
    /// Only where that cannot be done (no GNU <c>env --default-signal</c>) do the SIGINT rows skip.
    /// </summary>
    public static void SkipIfIgnored(int signal) =>
        Skip.When(signal == Sigint && SigintIgnored() && !EnvResetsSignals(),
            "SIGINT is ignored by the test process (started in the background) and env cannot reset it (no --default-signal)");

    public static BackgroundCli Start(string workingDirectory, params string[] args) =>
        SigintIgnored() ? BackgroundCli.WithDefaultSigint(workingDirectory, args) : new BackgroundCli(workingDirectory, args);

    /// <summary>
    /// Waits until <paramref name="started"/> holds, freezes the process there (SIGSTOP), asks <paramref name="unfinished"/>
    /// whether it is still mid-work, sends <paramref name="signal"/> and lets it run again; returns that answer and
    /// how long the process took to exit after the signal.
    /// </summary>
    public static async Task<(bool Unfinished, TimeSpan Took, int Exit)> MidWorkAsync(BackgroundCli cli, int signal, Func<bool> started, Func<bool> unfinished, string what)
    {
        await WaitForAsync(started, cli, what);
        cli.Signal(Sigstop);
        bool mid = !cli.HasExited && unfinished();
        cli.Signal(signal);
        var clock = Stopwatch.StartNew();
        cli.Signal(Sigcont);
        int exit = await cli.WaitAsync(TimeSpan.FromSeconds(60));
        return (mid, clock.Elapsed, exit);
    }

    public static async Task WaitForAsync(Func<bool> condition, BackgroundCli cli, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (cli.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"never saw {what}; the command {(cli.HasExited ? "exited" : "hung")}.\n--- stderr\n{cli.Stderr}");
            }
            await Task.Delay(2);
        }
    }

    /// <summary>Bytes the process has read so far (<c>rchar</c> of /proc/PID/io): how far a reading command has got.</summary>
    public static long BytesRead(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/io").FirstOrDefault(l => l.StartsWith("rchar:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["rchar:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // exited meanwhile
        }
    }

    /// <summary>Every file of the store by name and hash: a cancelled command must not have touched any.</summary>
    public static string Fingerprint(string store) => string.Join('\n', Directory.GetFiles(store, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(f => Path.GetRelativePath(store, f) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

    /// <summary>kill(2) for a process started without <see cref="BackgroundCli"/>.</summary>
    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static bool SigintIgnored()
    {
        string? mask = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return mask is not null && (Convert.ToUInt64(mask["SigIgn:".Length..].Trim(), 16) & (1UL << (Sigint - 1))) != 0;
    }

    private static bool EnvResetsSignals()
    {
        using var env = Process.Start(new ProcessStartInfo("env", ["--default-signal=INT", "true"]) { RedirectStandardError = true })!;
        env.WaitForExit();
        return env.ExitCode == 0;
    }
}
