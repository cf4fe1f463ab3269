using System.Diagnostics;
using AgentStrace.Errors;

namespace AgentStrace.Store;

/// <summary>
/// An exclusive advisory lock on one session (a <c>.lock</c> file opened with <see cref="FileShare.None"/>, which
/// .NET maps to <c>flock(LOCK_EX)</c> on Unix). Held across "read tail, append line, update tail" so parallel hook
/// processes never interleave lines or fork the hash chain.
/// </summary>
public sealed class SessionLock : IDisposable
{
    private readonly FileStream _file;

    private SessionLock(FileStream file) => _file = file;

    public static SessionLock Acquire(string sessionDir, TimeSpan? timeout = null)
    {
        string path = Path.Combine(sessionDir, ".lock");
        var deadline = Stopwatch.StartNew();
        // Generous: under heavy load (8 hook processes on 2 busy cores) a fair turn can take seconds.
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(30);
        int delayMs = 1;
        while (true)
        {
            try
            {
                return new SessionLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException) when (deadline.Elapsed < limit && !(Directory.Exists(sessionDir) is false))
            {
                Thread.Sleep(delayMs);
                delayMs = Math.Min(delayMs * 2, 20);
            }
            catch (IOException ex)
            {
                throw new AgentStraceException($"Could not lock session directory {sessionDir} within {limit.TotalSeconds:0}s ({ex.Message}); another writer may be stuck.", ExitCodes.Usage, ex);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
