using System.Buffers;
using System.Globalization;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Events that could not take the session lock in time. The hook writes the (already redacted) payload, its event
/// name and time to its own side file <c>&lt;session&gt;/.spill-&lt;utc ticks&gt;-&lt;pid&gt;.json</c> and returns;
/// the next hook of the session takes the lock and replays every side file, oldest first, through the normal handlers
/// with the original time before its own event, so the chain stays whole and in order and nothing is dropped. A
/// session whose last hook spilled (a SessionEnd that met a stuck lock) has no next hook: the store-level marker
/// <c>.spill-pending</c> makes the next hook of any session merge it (<see cref="MergeOthers"/>).
/// </summary>
public static class HookSpill
{
    private const string Prefix = ".spill-";
    public const string PendingMarker = ".spill-pending";

    public static void Write(HookContext c, byte[] redactedPayload)
    {
        var buffer = new ArrayBufferWriter<byte>(redactedPayload.Length + 128);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        w.WriteString("event", c.Event.ToString());
        w.WriteNumber("now", c.Now);
        w.WriteString("session_id", c.SessionId);
        w.WriteString("agent", c.Agent);
        w.WriteJson("payload", redactedPayload);
        w.WriteEndObject();
        string name = Prefix + DateTime.UtcNow.Ticks.ToString("D20", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".json";
        SafeFile.WriteAtomic(Path.Combine(c.SessionDir, name), buffer.WrittenSpan);
        // After the side file: a merger deletes the marker before it looks, so this one is seen now or next time.
        Mark(c.Store.Root);
    }

    /// <summary>Replays the session's side files under its lock; returns how many were merged.</summary>
    /// <param name="lockWait">How long to wait for a busy lock (null: the process's wait); a timeout throws.</param>
    public static int Merge(HookContext current, Action<HookContext> handle, TimeSpan? lockWait = null)
    {
        string dir = current.SessionDir;
        if (!HasAny(dir)) return 0;
        using var _ = SessionLock.Acquire(dir, lockWait);
        int merged = 0;
        foreach (string file in Directory.GetFiles(dir, Prefix + "*.json").Order(StringComparer.Ordinal))
        {
            if (SafeFile.TryReadAllBytes(file, HookRunner.MaxPayloadBytes + (1 << 20)) is not { } bytes) continue;
            var o = new RawJsonObject(bytes);
            if (!HookEvents.TryParse(o.GetString("event"u8), out HookEvent ev) || o.GetDouble("now"u8) is not double now)
            {
                SafeFile.DeleteIfLeftOver(file); // not ours or damaged: nothing can be replayed from it
                continue;
            }
            HookPayload payload = HookPayload.Parse(o.Get("payload"u8).Raw.ToArray());
            string agent = o.GetString("agent"u8);
            // The replayed event's own sub-agent and agent, not the current hook's.
            handle(current with
            {
                Payload = payload,
                Event = ev,
                Now = now,
                AgentId = payload.AgentId,
                AgentType = payload.AgentType,
                SpawnToolUseId = "",
                Agent = agent.Length > 0 ? agent : current.Agent,
            });
            File.Delete(file);
            merged++;
        }
        return merged;
    }

    /// <summary>
    /// Merges the side files other sessions left when the store is marked (one lstat when it is not): sessions whose
    /// lock is still busy stay marked for a later hook. Stops early when the hook's time runs short.
    /// </summary>
    public static int MergeOthers(HookContext current, Action<HookContext> handle)
    {
        string root = current.Store.Root;
        string marker = Path.Combine(root, PendingMarker);
        if (SafeFile.KindOf(marker) != FileKind.Regular) return 0;
        File.Delete(marker);
        int merged = 0;
        foreach (string dir in Directory.EnumerateDirectories(root))
        {
            string id = Path.GetFileName(dir);
            if (id == current.SessionId || !Model.Ids.IsSafeSessionId(id) || SafeFile.KindOf(dir) != FileKind.Directory || !HasAny(dir)) continue;
            if (current.Deadline is { } d && !d.HasLeft(TimeSpan.FromMilliseconds(250)))
            {
                Mark(root);
                break;
            }
            // A busy lock or a broken session stays marked for a later hook; the current event is stored already.
            try { merged += Merge(current with { SessionId = id }, handle, TimeSpan.Zero); }
            catch (Exception ex) when (ex is SessionLockTimeoutException or IOException or UnauthorizedAccessException) { Mark(root); }
        }
        return merged;
    }

    /// <summary>The sessions holding side files, and how many files there are in all (for doctor).</summary>
    public static List<string> Pending(string root, out int files)
    {
        var pending = new List<string>();
        files = 0;
        if (!Directory.Exists(root)) return pending;
        foreach (string dir in Directory.EnumerateDirectories(root))
        {
            if (SafeFile.KindOf(dir) != FileKind.Directory) continue;
            int n = Directory.GetFiles(dir, Prefix + "*.json").Length;
            if (n == 0) continue;
            pending.Add(Path.GetFileName(dir));
            files += n;
        }
        return pending;
    }

    private static void Mark(string root) => SafeFile.WriteAtomic(Path.Combine(root, PendingMarker), ReadOnlySpan<byte>.Empty);

    private static bool HasAny(string dir)
    {
        try { return Directory.EnumerateFiles(dir, Prefix + "*.json").Any(); }
        catch (DirectoryNotFoundException) { return false; }
    }
}
