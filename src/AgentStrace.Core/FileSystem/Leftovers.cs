using System.Globalization;

namespace AgentStrace.FileSystem;

/// <summary>
/// Temp files a killed writer leaves behind. <see cref="SafeFile.WriteAtomic(string, ReadOnlySpan{byte}, UnixFileMode?, bool)"/>
/// writes <c>&lt;name&gt;.&lt;pid&gt;.tmp</c> and <c>--output</c> writes <c>.&lt;name&gt;.tmp-&lt;pid&gt;-&lt;8 hex&gt;</c>,
/// then renames; a SIGKILL in between leaves the temp file. One is removed only when it is a regular file (never a
/// link, which is left alone), carries one of those names for a name its caller owns, has not been written for a
/// minute, and its pid is not running: a live writer (even one in another pid namespace sharing the store, whose pid
/// means nothing here) finishes a temp file in well under that, and a reused pid only keeps the file a little longer.
/// Readers never see these names: every file is read by its final name.
/// </summary>
public static class Leftovers
{
    /// <summary>A temp file untouched for this long, whose writer is gone, is a leftover.</summary>
    public static readonly TimeSpan MinAge = TimeSpan.FromMinutes(1);

    /// <summary>
    /// An import's staging directory (<c>.&lt;id&gt;.staging</c>) carries no pid: it is abandoned when nothing in it
    /// was written for this long (an import writes its staged events file every MiB).
    /// </summary>
    public static readonly TimeSpan StagingAge = TimeSpan.FromHours(1);

    /// <summary>
    /// The name a temp file stands in for and its writer's pid, when <paramref name="file"/> is one of the two temp
    /// names (<c>meta.json.123.tmp</c> → <c>meta.json</c>, 123; <c>.out.json.tmp-123-0a1b2c3d</c> → <c>out.json</c>, 123).
    /// </summary>
    public static bool TryParse(string file, out string target, out int pid)
    {
        target = "";
        pid = 0;
        if (file.EndsWith(".tmp", StringComparison.Ordinal))
        {
            string rest = file[..^4];
            int dot = rest.LastIndexOf('.');
            if (dot <= 0 || !TryPid(rest.AsSpan(dot + 1), out pid)) return false;
            target = rest[..dot];
            return true;
        }
        int tmp = file.LastIndexOf(".tmp-", StringComparison.Ordinal);
        if (file.Length < 2 || file[0] != '.' || tmp <= 1) return false;
        ReadOnlySpan<char> tail = file.AsSpan(tmp + 5);
        int dash = tail.IndexOf('-');
        if (dash < 0 || tail.Length - dash - 1 != 8 || !IsHex(tail[(dash + 1)..]) || !TryPid(tail[..dash], out pid)) return false;
        target = file[1..tmp];
        return true;
    }

    /// <summary>
    /// The leftover temp files in <paramref name="dir"/> (not below it) whose target name <paramref name="ours"/>
    /// accepts (null: every name, for a directory only this tool writes into).
    /// </summary>
    public static List<string> Find(string dir, Func<string, bool>? ours = null)
    {
        var found = new List<string>();
        IEnumerable<string> files;
        try { files = Directory.EnumerateFiles(dir, "*.tmp*"); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return found; }
        DateTime now = DateTime.UtcNow;
        try
        {
            foreach (string path in files)
            {
                if (!TryParse(Path.GetFileName(path), out string target, out int pid) || (ours is not null && !ours(target))) continue;
                if (SafeFile.KindOf(path) != FileKind.Regular || now - File.GetLastWriteTimeUtc(path) < MinAge || IsRunning(pid)) continue;
                found.Add(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return found;
    }

    /// <summary>Removes what <see cref="Find"/> finds; returns the files removed.</summary>
    public static List<string> Sweep(string dir, Func<string, bool>? ours = null)
    {
        List<string> found = Find(dir, ours);
        found.RemoveAll(path => !TryDelete(path));
        return found;
    }

    /// <summary>Staging directories of killed imports in the store's root (see <see cref="StagingAge"/>).</summary>
    public static List<string> FindStaging(string root)
    {
        var found = new List<string>();
        try
        {
            foreach (string dir in Directory.EnumerateDirectories(root, ".*.staging"))
            {
                if (IsAbandonedStaging(dir)) found.Add(dir);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return found;
    }

    /// <summary>
    /// A real directory (not a link) in which nothing was written for <see cref="StagingAge"/>: its own time changes
    /// only when a name is added, so the files' times count too.
    /// </summary>
    public static bool IsAbandonedStaging(string dir)
    {
        if (SafeFile.KindOf(dir) != FileKind.Directory) return false;
        DateTime newest = Directory.GetLastWriteTimeUtc(dir);
        foreach (string file in Directory.EnumerateFiles(dir))
        {
            DateTime t = File.GetLastWriteTimeUtc(file);
            if (t > newest) newest = t;
        }
        return DateTime.UtcNow - newest >= StagingAge;
    }

    /// <summary>Removes abandoned staging directories; returns those removed.</summary>
    public static List<string> SweepStaging(string root)
    {
        var removed = new List<string>();
        foreach (string dir in FindStaging(root))
        {
            try
            {
                Directory.Delete(dir, recursive: true); // removes links inside, never what they point to
                removed.Add(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>Whether a process with this pid exists now (unknown counts as running: nothing is removed for it).</summary>
    public static bool IsRunning(int pid)
    {
        if (pid <= 0 || pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux() && SafeFile.KindOf("/proc/self") != FileKind.Missing)
        {
            return SafeFile.KindOf("/proc/" + pid.ToString(CultureInfo.InvariantCulture)) != FileKind.Missing;
        }
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; } // no such process
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { return true; }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path); // unlinks the name; a link is never followed
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    private static bool TryPid(ReadOnlySpan<char> s, out int pid) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out pid) && pid > 0;

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }
}
