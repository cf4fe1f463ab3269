using System.Diagnostics;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using Microsoft.Win32.SafeHandles;

namespace AgentStrace.Store;

/// <summary>
/// An exclusive advisory lock on one session: <c>flock(LOCK_EX)</c> on its <c>.lock</c> file (opened without following
/// a link; Windows: an unshared handle). Held across "read tail, append line, update tail" so parallel hook processes
/// never interleave lines or fork the hash chain. Only contention is waited for; any other failure to open the
/// lock file (read-only file system, no permission, a planted link) fails at once.
/// </summary>
public sealed class SessionLock : IDisposable
{
    /// <summary>How long commands other than hooks wait: generous, since under heavy load a fair turn can take seconds.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    /// <summary>The wait used when a caller passes none; hooks lower it for their own process (see HookDeadline).</summary>
    public static TimeSpan ProcessWait { get; set; } = DefaultWait;

    // Locks this process holds, by path, with the thread that holds each: that thread taking it again only counts (a
    // hook replaying spilled events holds the session lock while the handlers take it again); another thread of this
    // process waits for it as another process would (two history files of one session imported at once).
    private static readonly Dictionary<string, Held> s_held = new(StringComparer.Ordinal);

    private sealed class Held(int owner)
    {
        public int Owner { get; } = owner;
        public int Count { get; set; } = 1;
        public IDisposable? Handle { get; set; }
    }

    private readonly string _path;

    private SessionLock(string path) => _path = path;

    public static SessionLock Acquire(string sessionDir, TimeSpan? timeout = null)
    {
        string path = Path.GetFullPath(Path.Combine(sessionDir, ".lock"));
        int me = Environment.CurrentManagedThreadId;
        Held mine;
        lock (s_held)
        {
            // Another thread's turn ends when it disposes its lock; its work is this process's own, so no deadline here.
            while (s_held.TryGetValue(path, out Held? held))
            {
                if (held.Owner == me)
                {
                    held.Count++;
                    return new SessionLock(path);
                }
                Monitor.Wait(s_held);
            }
            s_held[path] = mine = new Held(me);
        }
        try
        {
            IDisposable handle = Take(path, sessionDir, timeout);
            lock (s_held) mine.Handle = handle;
        }
        catch
        {
            Release(path);
            throw;
        }
        return new SessionLock(path);
    }

    private static IDisposable Take(string path, string sessionDir, TimeSpan? timeout)
    {
        var waited = Stopwatch.StartNew();
        TimeSpan limit = timeout ?? ProcessWait;
        int delayMs = 1;
        while (true)
        {
            if (TryTake(path) is { } taken) return taken;
            if (waited.Elapsed >= limit)
            {
                throw new SessionLockTimeoutException(sessionDir, limit);
            }
            Thread.Sleep(delayMs);
            delayMs = Math.Min(delayMs * 2, 20);
        }
    }

    // Null when another process holds the lock; throws for anything else.
    private static IDisposable? TryTake(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            try { return SafeFile.OpenUnshared(path); } // never through a reparse point planted as .lock
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException) && ex.HResult == unchecked((int)0x80070020)) { return null; }
        }
        SafeFileHandle handle = SafeFile.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        try
        {
            if (NativeFile.TryLockExclusive(handle)) return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        handle.Dispose();
        return null;
    }

    public void Dispose()
    {
        lock (s_held)
        {
            if (!s_held.TryGetValue(_path, out Held? held)) return;
            if (held.Count > 1)
            {
                held.Count--;
                return;
            }
        }
        Release(_path);
    }

    private static void Release(string path)
    {
        lock (s_held)
        {
            if (!s_held.Remove(path, out Held? held)) return;
            held.Handle?.Dispose();
            Monitor.PulseAll(s_held);
        }
    }
}

/// <summary>The session lock stayed taken for the whole wait (hooks spill their event instead of losing it).</summary>
public sealed class SessionLockTimeoutException(string sessionDir, TimeSpan waited)
    : AgentStraceException($"Could not lock session directory {sessionDir} within {waited.TotalSeconds:0.##}s; another writer may be stuck.", ExitCodes.Usage)
{
    public string SessionDir { get; } = sessionDir;
}
