using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>
/// The on-disk store: <c>&lt;root&gt;/&lt;session-id&gt;/meta.json + events.ndjson</c> (upstream's store layout).
/// Root: <c>--trace-dir</c>, else <c>AGENT_STRACE_DIR</c>, else <c>AGENT_TRACE_DIR</c>, else <c>.agent-traces</c>.
/// </summary>
public sealed class TraceStore(string root)
{
    public const string DefaultDirName = ".agent-traces";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The root as the user would recognise it (for messages).</summary>
    public string DisplayRoot => Path.GetRelativePath(Environment.CurrentDirectory, Root) is { } rel && !rel.StartsWith("..", StringComparison.Ordinal) ? rel : Root;

    public static string ResolveRoot(string? flag, string? baseDirectory = null)
    {
        string? dir = NonEmpty(flag) ?? NonEmpty(Environment.GetEnvironmentVariable("AGENT_STRACE_DIR"))
            ?? NonEmpty(Environment.GetEnvironmentVariable("AGENT_TRACE_DIR"));
        if (dir is not null) return Path.GetFullPath(dir);
        return Path.GetFullPath(Path.Combine(baseDirectory ?? Environment.CurrentDirectory, DefaultDirName));
    }

    public static TraceStore Open(string? flag) => new(ResolveRoot(flag));

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    public string SessionDir(string id) => Path.Combine(Root, id);

    /// <summary>Every session with a readable meta.json, newest start first. Unreadable metas are reported and skipped.</summary>
    public List<SessionInfo> List(Action<string>? warn = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Root)) return [];
        string[] dirs = [.. Directory.EnumerateDirectories(Root)];
        // meta.json files are read in parallel (a store of 10,000 sessions lists in a fraction of a second); warnings
        // are kept per directory and given in the directories' order, so output stays deterministic.
        var found = new SessionInfo?[dirs.Length];
        var problems = new string?[dirs.Length];
        Workers.For(dirs.Length, dirs.Length < 64 ? 1 : Environment.ProcessorCount, i =>
        {
            string dir = dirs[i];
            // Only real session directories: not the store's own entries, not links planted to elsewhere.
            if (!Ids.IsSafeSessionId(Path.GetFileName(dir)) || SafeFile.KindOf(dir) != FileKind.Directory) return;
            string metaPath = Path.Combine(dir, "meta.json");
            try
            {
                found[i] = new SessionInfo(Path.GetFileName(dir), dir, MetaJson.Read(metaPath));
            }
            catch (FileNotFoundException)
            {
                // Not a session (yet): a directory without meta.json is passed over, as before.
            }
            catch (Exception ex) when (ex is AgentStraceException or IOException or UnauthorizedAccessException)
            {
                problems[i] = $"agent-strace: skipping {metaPath}: {ex.Message}";
            }
        }, cancellationToken);
        var list = new List<SessionInfo>(dirs.Length);
        for (int i = 0; i < dirs.Length; i++)
        {
            if (found[i] is { } info) list.Add(info);
            else if (problems[i] is { } problem) warn?.Invoke(problem);
        }
        list.Sort(static (a, b) => b.Meta.StartedAt != a.Meta.StartedAt
            ? b.Meta.StartedAt.CompareTo(a.Meta.StartedAt)
            : string.CompareOrdinal(b.Id, a.Id));
        return list;
    }

    /// <summary>Sessions started within [since, until] (either bound optional), newest first.</summary>
    public List<SessionInfo> List(double? since, double? until, Action<string>? warn = null, CancellationToken cancellationToken = default) =>
        Within(List(warn, cancellationToken), since, until);

    /// <summary>The sessions of a listing started within [since, until], in the listing's order.</summary>
    public static List<SessionInfo> Within(IEnumerable<SessionInfo> listing, double? since, double? until) =>
        listing.Where(s => (since is null || s.Meta.StartedAt >= since) && (until is null || s.Meta.StartedAt <= until)).ToList();

    /// <summary>Resolves a command-line id: exact match, else a unique prefix. Never treats the id as a path.</summary>
    public SessionInfo Find(string idOrPrefix) => Find(idOrPrefix, null);

    /// <summary><see cref="Find(string)"/>, taking prefix matches from <paramref name="listing"/> when given.</summary>
    public SessionInfo Find(string idOrPrefix, IReadOnlyList<SessionInfo>? listing, CancellationToken cancellationToken = default)
    {
        ValidateId(idOrPrefix);
        string exact = SessionDir(idOrPrefix);
        if (File.Exists(Path.Combine(exact, "meta.json")))
        {
            return new SessionInfo(idOrPrefix, exact, MetaJson.Read(Path.Combine(exact, "meta.json")));
        }
        var matches = (listing ?? List(null, cancellationToken)).Where(s => s.Id.StartsWith(idOrPrefix, StringComparison.Ordinal)).ToList();
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
        {
            string ids = string.Join(", ", matches.Take(5).Select(m => m.Id));
            throw new AgentStraceException($"Session prefix '{idOrPrefix}' is ambiguous in {DisplayRoot} ({ids}); give more characters.");
        }
        throw new SessionNotFoundException($"Session '{idOrPrefix}' not found in {DisplayRoot}. Run 'agent-strace list' to see ids.");
    }

    /// <summary>
    /// The session a user means when giving no id: the most recent top-level session by start time (its sub-agents are
    /// exported with it). A sub-agent whose parent is not in the store counts as top-level; when every session is a
    /// sub-agent the most recent one is taken.
    /// </summary>
    public SessionInfo Latest(IReadOnlyList<SessionInfo>? listing = null)
    {
        var all = listing ?? List();
        if (all.Count == 0) throw new SessionNotFoundException($"No sessions found in {DisplayRoot}. {EmptyHint}");
        var ids = new HashSet<string>(all.Count, StringComparer.Ordinal);
        foreach (SessionInfo s in all) ids.Add(s.Id);
        foreach (SessionInfo s in all)
        {
            string parent = s.Meta.ParentSessionId;
            if (string.IsNullOrEmpty(parent) || parent == s.Id || !ids.Contains(parent)) return s;
        }
        return all[0];
    }

    /// <summary>What to do about an empty store (printed wherever one is met).</summary>
    public const string EmptyHint = "Record sessions with 'agent-strace setup' (Claude Code hooks), import existing ones with 'agent-strace import --discover', or try 'agent-strace demo'. Wrong store? Pass --trace-dir DIR.";

    /// <summary><paramref name="id"/> when given, else the latest top-level session.</summary>
    public SessionInfo FindOrLatest(string? id, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(id) ? Latest(List(null, cancellationToken)) : Find(id, null, cancellationToken);

    public static void ValidateId(string id)
    {
        if (!Ids.IsSafeSessionId(id))
        {
            string shown = id.Replace("\0", "\\0", StringComparison.Ordinal);
            if (shown.Length > 80) shown = shown[..80] + "...";
            throw new AgentStraceException($"Invalid session id '{shown}': ids may contain only letters, digits, '.', '_' and '-' (no paths).");
        }
    }

    /// <summary>Creates the session directory, meta.json and an empty events.ndjson.</summary>
    public SessionInfo Create(SessionMeta meta)
    {
        ValidateId(meta.SessionId);
        string dir = SessionDir(meta.SessionId);
        Directory.CreateDirectory(dir);
        WriteMeta(dir, meta);
        using (SafeFile.OpenWrite(Path.Combine(dir, "events.ndjson"), FileMode.OpenOrCreate)) { }
        return new SessionInfo(meta.SessionId, dir, meta);
    }

    /// <summary>Atomically replaces meta.json (temp file + rename).</summary>
    public static void WriteMeta(string sessionDir, SessionMeta meta)
    {
        SafeFile.WriteAtomic(Path.Combine(sessionDir, "meta.json"), MetaJson.Serialize(meta));
    }

    /// <summary>Read-modify-write of meta.json under the session lock.</summary>
    public static SessionMeta UpdateMeta(string sessionDir, Action<SessionMeta> change)
    {
        using var _ = SessionLock.Acquire(sessionDir);
        SessionMeta meta = MetaJson.Read(Path.Combine(sessionDir, "meta.json"));
        change(meta);
        WriteMeta(sessionDir, meta);
        return meta;
    }
}
