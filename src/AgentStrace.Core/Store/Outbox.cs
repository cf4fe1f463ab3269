using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;

namespace AgentStrace.Store;

/// <summary>
/// One hand-over to the shipper: the session's events up to <see cref="Offset"/> are finished work (a turn ended at
/// Stop; everything at SessionEnd, <see cref="Final"/>). <see cref="Resource"/> holds the attributes of the machine and
/// CI job the session ran on, taken where the hook ran (the shipper may run elsewhere, later).
/// </summary>
public sealed record OutboxEntry(string SessionId, long Offset, bool Final, double At, IReadOnlyList<KeyValuePair<string, string>> Resource)
{
    /// <summary>The file the entry was read from ("" for one not yet written).</summary>
    public string File { get; init; } = "";
}

/// <summary>
/// The durable outbox in the store (<c>&lt;store&gt;/.outbox/</c>): one small file per hand-over, written atomically
/// by a hook (<c>&lt;utc ticks&gt;-&lt;pid&gt;-&lt;session&gt;.json</c>, so names sort oldest first and two hooks never
/// collide). The shipper removes an entry only after what it names was delivered (or was dropped by a cap, which
/// warns), so a crash at any point leaves it to the next run.
/// </summary>
public static class Outbox
{
    public const string DirName = ".outbox";
    private const string Suffix = ".json";
    private const long MaxEntryBytes = 64 << 10;

    public static string Dir(string storeRoot) => Path.Combine(storeRoot, DirName);

    public static void Append(string storeRoot, OutboxEntry e)
    {
        string dir = Dir(storeRoot);
        Directory.CreateDirectory(dir);
        var resource = new Dictionary<string, string>(e.Resource.Count, StringComparer.Ordinal);
        foreach (var (k, v) in e.Resource) resource[k] = v;
        var buffer = new ArrayBufferWriter<byte>(512);
        var doc = new OutboxDocument { SessionId = e.SessionId, Offset = e.Offset, Final = e.Final, At = e.At, Resource = resource };
        DocumentJson.Write(buffer, doc.Write, indented: false);
        string name = DateTime.UtcNow.Ticks.ToString("D20", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + e.SessionId + Suffix;
        SafeFile.WriteAtomic(Path.Combine(dir, name), buffer.WrittenSpan);
    }

    /// <summary>Every readable entry, oldest first; a damaged or foreign file is reported through <paramref name="warn"/> and removed.</summary>
    public static List<OutboxEntry> List(string storeRoot, Action<string> warn)
    {
        var list = new List<OutboxEntry>();
        string dir = Dir(storeRoot);
        if (!Directory.Exists(dir)) return list;
        Leftovers.Sweep(dir); // entries and state half-written by a killed hook or shipper
        foreach (string file in Directory.EnumerateFiles(dir, "*" + Suffix).Where(f => char.IsAsciiDigit(Path.GetFileName(f)[0])).Order(StringComparer.Ordinal))
        {
            OutboxEntry? e = TryRead(file);
            if (e is null)
            {
                warn($"removed a damaged outbox entry {Path.GetFileName(file)}");
                SafeFile.DeleteIfLeftOver(file);
                continue;
            }
            list.Add(e);
        }
        return list;
    }

    public static bool IsEmpty(string storeRoot)
    {
        try { return !Directory.EnumerateFiles(Dir(storeRoot), "*" + Suffix).Any(f => char.IsAsciiDigit(Path.GetFileName(f)[0])); }
        catch (DirectoryNotFoundException) { return true; }
    }

    public static void Remove(OutboxEntry e)
    {
        if (e.File.Length > 0) SafeFile.DeleteIfLeftOver(e.File);
    }

    private static OutboxEntry? TryRead(string file)
    {
        byte[]? bytes;
        try { bytes = SafeFile.TryReadAllBytes(file, MaxEntryBytes); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
        if (bytes is null) return null;
        try
        {
            OutboxDocument r = OutboxDocument.Parse(bytes);
            string id = r.SessionId ?? "";
            if (!Model.Ids.IsSafeSessionId(id)) return null;
            var resource = new List<KeyValuePair<string, string>>(r.Resource?.Count ?? 0);
            if (r.Resource is not null) foreach (var (k, v) in r.Resource) resource.Add(new(k, v ?? ""));
            return new OutboxEntry(id, r.Offset, r.Final, r.At, resource) { File = file };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
