using System.Globalization;
using AgentStrace.Config;
using AgentStrace.FileSystem;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Doctor;

/// <summary>Store checks: writable, when the last event arrived, recent hook failures; and the user configuration.</summary>
internal static class DoctorStore
{
    private static readonly TimeSpan s_recentErrors = TimeSpan.FromHours(24);

    /// <summary>The store (or, before the first session, the directory it will be made in) takes a new file.</summary>
    public static Task<IEnumerable<DoctorLine>> Writable(DoctorContext c, CancellationToken cancellationToken)
    {
        string root = c.Store.Root;
        string fix = $"make {root} a writable directory, or point AGENT_STRACE_DIR (or --trace-dir) at one";
        string probeDir = root;
        // Hooks create the store on first use: before that, the nearest existing ancestor must take it.
        while (!Directory.Exists(probeDir) && !File.Exists(probeDir) && Path.GetDirectoryName(probeDir) is { } parent) probeDir = parent;
        if (File.Exists(probeDir))
        {
            return Lines(new DoctorLine("store", CheckState.Fail, $"{probeDir} is a file, so the store {root} cannot be a directory", fix));
        }
        string probe = Path.Combine(probeDir, $".doctor-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Lines(new DoctorLine("store", CheckState.Fail, $"{probeDir} is not writable ({ex.Message.ReplaceLineEndings(" ")})", fix));
        }
        return Lines(Directory.Exists(root)
            ? new DoctorLine("store", CheckState.Ok, $"{root} is writable")
            : new DoctorLine("store", CheckState.Ok, $"{root} does not exist yet; hooks will create it ({probeDir} is writable)"));
    }

    /// <summary>The newest event anywhere in the store: hooks that never fire show up here.</summary>
    public static Task<IEnumerable<DoctorLine>> LastEvent(DoctorContext c, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(c.Store.Root)) return Lines(new DoctorLine("last event", CheckState.Skip, "no sessions recorded yet", "start a new agent session after setup"));
        string newest = "";
        DateTime when = DateTime.MinValue;
        foreach (string dir in Directory.EnumerateDirectories(c.Store.Root))
        {
            string events = Path.Combine(dir, "events.ndjson");
            DateTime t = File.Exists(events) ? File.GetLastWriteTimeUtc(events) : DateTime.MinValue;
            if (t > when) (when, newest) = (t, Path.GetFileName(dir));
        }
        if (newest.Length == 0) return Lines(new DoctorLine("last event", CheckState.Skip, "no sessions recorded yet", "start a new agent session after setup"));
        return Lines(new DoctorLine("last event", CheckState.Ok, $"{Ago(c.Now - when)} (session {newest}, {when.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)"));
    }

    /// <summary>Hooks never fail the agent; their failures land in <c>hook-errors.log</c>. Recent ones are a problem.</summary>
    public static Task<IEnumerable<DoctorLine>> HookErrors(DoctorContext c, CancellationToken cancellationToken)
    {
        string path = Path.Combine(c.Store.Root, StoreNames.HookErrors);
        if (!File.Exists(path)) return Lines(new DoctorLine("hook errors", CheckState.Ok, "none logged"));
        List<string> tail = Tail(path, 64 * 1024);
        // Lines start with an ISO-8601 UTC time, which sorts as text: no date parsing needed.
        string since = (c.Now - s_recentErrors).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var recent = tail.Where(l => l.Length > 19 && l[4] == '-' && string.CompareOrdinal(l, 0, since, 0, since.Length) > 0).ToList();
        if (recent.Count == 0) return Lines(new DoctorLine("hook errors", CheckState.Ok, $"none in the last 24 h ({tail.Count} older line{(tail.Count == 1 ? "" : "s")} in {path})"));
        string last = Output.Text.OneLine(recent[^1], 200);
        return Lines(new DoctorLine("hook errors", CheckState.Fail, $"{recent.Count} in the last 24 h; latest: {last}",
            $"read {path} (the hooks kept the agent running but lost these events); delete it once fixed"));
    }

    /// <summary>The user configuration parses (a broken file makes every command that reads it fail).</summary>
    public static Task<IEnumerable<DoctorLine>> Config(DoctorContext c, CancellationToken cancellationToken)
    {
        string path = UserConfig.DefaultPath();
        if (path.Length == 0) return Lines(new DoctorLine("user config", CheckState.Skip, "no home or config directory known"));
        try
        {
            UserConfig.Load(path);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or Errors.AgentStraceException)
        {
            return Lines(new DoctorLine("user config", CheckState.Fail, Output.Text.OneLine(ex.Message, 300), $"fix or delete {path}"));
        }
        return Lines(File.Exists(path)
            ? new DoctorLine("user config", CheckState.Ok, $"{path} is valid")
            : new DoctorLine("user config", CheckState.Ok, $"none at {path} (defaults apply)"));
    }

    /// <summary>
    /// Events a hook kept in a side file because its session lock was busy: they are not in the session (exports and
    /// costs miss them) until a hook merges them, which the next hook in this store does.
    /// </summary>
    public static Task<IEnumerable<DoctorLine>> SideFiles(DoctorContext c, CancellationToken cancellationToken)
    {
        List<string> pending = Capture.Hooks.HookSpill.Pending(c.Store.Root, out int files);
        if (pending.Count == 0) return Lines(new DoctorLine("spilled events", CheckState.Ok, "none waiting"));
        string sessions = string.Join(", ", pending.GetRange(0, Math.Min(3, pending.Count))) + (pending.Count > 3 ? ", …" : "");
        return Lines(new DoctorLine("spilled events", CheckState.Fail,
            $"{files} hook event(s) wait in side files of {pending.Count} session(s) ({sessions}): their session lock was busy",
            "the next hook in this store merges them; if one keeps failing, look for a stuck agent-strace process holding the session's .lock"));
    }

    /// <summary>
    /// Temp files of writers killed between write and rename (an agent's hook timeout, a kill -9), and staging
    /// directories of killed imports: nothing reads them, they only take space. Removed here, and named.
    /// </summary>
    public static Task<IEnumerable<DoctorLine>> Leftovers(DoctorContext c, CancellationToken cancellationToken)
    {
        List<string> removed = StoreLeftovers.Sweep(c.Store.Root, sessions: true);
        if (removed.Count == 0) return Lines(new DoctorLine("leftover temp files", CheckState.Ok, "none"));
        string names = string.Join(", ", removed.Take(3).Select(p => Path.GetRelativePath(c.Store.Root, p))) + (removed.Count > 3 ? ", …" : "");
        return Lines(new DoctorLine("leftover temp files", CheckState.Ok,
            $"removed {removed.Count} that killed writers left ({names}); the files they were to replace are as they were"));
    }

    private static List<string> Tail(string path, int bytes)
    {
        using FileStream file = SafeFile.OpenRead(path);
        long start = Math.Max(0, file.Length - bytes);
        file.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(file);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (start > 0 && lines.Count > 0) lines.RemoveAt(0); // cut mid-line
        return lines;
    }

    internal static string Ago(TimeSpan span) => span.TotalSeconds < 0 ? "just now"
        : span.TotalMinutes < 1 ? $"{(int)span.TotalSeconds} s ago"
        : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min ago"
        : span.TotalDays < 2 ? $"{(int)span.TotalHours} h ago"
        : $"{(int)span.TotalDays} days ago";

    private static Task<IEnumerable<DoctorLine>> Lines(params DoctorLine[] lines) => Task.FromResult<IEnumerable<DoctorLine>>(lines);
}
