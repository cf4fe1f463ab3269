using AgentStrace.FileSystem;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>
/// Stores a session that is not in the store yet without taking its lock: its <c>events.ndjson</c> and
/// <c>meta.json</c> are written whole into a hidden directory beside it (<c>&lt;root&gt;/.&lt;id&gt;.staging</c>, never
/// listed as a session), which is then renamed into place. Readers and hooks see no session or the whole one, and an
/// import of a large history creates three inodes per session (directory, events, meta) instead of five (no
/// <c>.lock</c>, no <c>.tail</c>, no temporary meta file). The rename replaces nothing but an empty directory (a
/// hook that has just created one then finds the published session in its place); when the session has content
/// already (a hook or another import got there first), or another import is staging the same session, the caller
/// merges under the lock instead. Nothing is fsynced, as on the other write paths: a killed import leaves no half
/// session, a power loss can lose what the page cache held.
/// </summary>
public static class SessionPublisher
{
    /// <summary>True when the session was published; false when the caller has to merge it under the lock (nothing was written).</summary>
    /// <param name="meta">Called once the events have been written (an import's totals are known only then).</param>
    public static bool TryPublish(TraceStore store, string sessionId, IEnumerable<TraceEvent> events, Func<SessionMeta> meta, out int written)
    {
        written = 0;
        string dir = Path.Combine(store.Root, "." + sessionId + ".staging");
        if (!CreateStaging(store, dir))
        {
            // A staging directory untouched for an hour belongs to an import that was killed: it is removed.
            if (!Leftovers.IsAbandonedStaging(dir)) return false;
            Directory.Delete(dir, recursive: true);
            if (!NativeFile.TryCreateDirectory(dir)) return false;
        }
        try
        {
            written = EventWriter.WriteNew(Path.Combine(dir, "events.ndjson"), events);
            using (FileStream file = SafeFile.OpenWrite(Path.Combine(dir, "meta.json"), FileMode.CreateNew))
            {
                file.Write(MetaJson.Serialize(meta()));
            }
            NativeFile.RenameDirectory(dir, store.SessionDir(sessionId));
            return true;
        }
        catch (IOException) when (Directory.Exists(store.SessionDir(sessionId)))
        {
            Directory.Delete(dir, recursive: true); // the session is there already, with content: merge into it
            return false;
        }
        catch
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            throw;
        }
    }

    // mkdir of the staging directory, creating the store's root first when it is new.
    private static bool CreateStaging(TraceStore store, string dir)
    {
        try { return NativeFile.TryCreateDirectory(dir); }
        catch (FileNotFoundException)
        {
            Directory.CreateDirectory(store.Root);
            return NativeFile.TryCreateDirectory(dir);
        }
    }
}
