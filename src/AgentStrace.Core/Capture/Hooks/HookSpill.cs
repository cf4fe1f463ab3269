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
/// with the original time before its own event, so the chain stays whole and in order and nothing is dropped.
/// </summary>
public static class HookSpill
{
    private const string Prefix = ".spill-";

    public static void Write(HookContext c, byte[] redactedPayload)
    {
        var buffer = new ArrayBufferWriter<byte>(redactedPayload.Length + 128);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        w.WriteString("event", c.Event.ToString());
        w.WriteNumber("now", c.Now);
        w.WriteString("session_id", c.SessionId);
        w.WriteJson("payload", redactedPayload);
        w.WriteEndObject();
        string name = Prefix + DateTime.UtcNow.Ticks.ToString("D20", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".json";
        SafeFile.WriteAtomic(Path.Combine(c.SessionDir, name), buffer.WrittenSpan);
    }

    /// <summary>Replays the session's side files under its lock; returns how many were merged.</summary>
    public static int Merge(HookContext current, Action<HookContext> handle)
    {
        string dir = current.SessionDir;
        if (!HasAny(dir)) return 0;
        using var _ = SessionLock.Acquire(dir);
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
            handle(current with { Payload = payload, Event = ev, Now = now });
            File.Delete(file);
            merged++;
        }
        return merged;
    }

    private static bool HasAny(string dir)
    {
        try { return Directory.EnumerateFiles(dir, Prefix + "*.json").Any(); }
        catch (DirectoryNotFoundException) { return false; }
    }
}
