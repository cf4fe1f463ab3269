using AgentStrace.FileSystem;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>
/// Where the store's writers leave temp files when killed (<see cref="Leftovers"/>), and their removal. Run where a
/// directory is listed or written anyway (doctor, import, watch's spool, the shipper's outbox, a session's end),
/// never on every hook call.
/// </summary>
public static class StoreLeftovers
{
    // The store root may be a directory shared with other programs (AGENT_STRACE_DIR=/tmp): only the names the store
    // itself writes there through a temp file are ours.
    private static readonly string[] s_rootNames = [StoreNames.ActiveSession, ".spill-pending", ".import-state"];

    /// <summary>The store's own subdirectories, written only by this tool.</summary>
    private static readonly string[] s_ownDirs = [StoreNames.Spool, ".outbox"];

    /// <summary>
    /// Removes the leftovers of the store's root, its own subdirectories and abandoned import staging directories, and
    /// with <paramref name="sessions"/> of every session directory too; returns what was removed.
    /// </summary>
    public static List<string> Sweep(string root, bool sessions)
    {
        var removed = new List<string>();
        if (SafeFile.KindOf(root) != FileKind.Directory) return removed;
        removed.AddRange(Leftovers.Sweep(root, name => Array.IndexOf(s_rootNames, name) >= 0));
        removed.AddRange(Leftovers.SweepStaging(root));
        foreach (string own in s_ownDirs)
        {
            string dir = Path.Combine(root, own);
            if (SafeFile.KindOf(dir) == FileKind.Directory) removed.AddRange(Leftovers.Sweep(dir));
        }
        if (!sessions) return removed;
        try
        {
            foreach (string dir in Directory.EnumerateDirectories(root))
            {
                if (Ids.IsSafeSessionId(Path.GetFileName(dir))) removed.AddRange(SweepSession(dir));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return removed;
    }

    /// <summary>Removes the leftovers of one session directory (a real directory holding a session's files).</summary>
    public static List<string> SweepSession(string dir)
    {
        if (SafeFile.KindOf(dir) != FileKind.Directory) return [];
        if (SafeFile.KindOf(Path.Combine(dir, "meta.json")) == FileKind.Missing && SafeFile.KindOf(Path.Combine(dir, "events.ndjson")) == FileKind.Missing) return [];
        return Leftovers.Sweep(dir);
    }
}
