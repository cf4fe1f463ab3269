using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// The event ids of one session, for an import's dedupe. Ids are 12 lowercase hex digits (a hash prefix), kept as
/// numbers: an import of a large history holds hundreds of thousands of them, and a number costs a fraction of a string.
/// Past <see cref="SplitAfter"/> ids they move to an <see cref="IdTable"/> (a streamed import of a 2 GiB transcript holds
/// millions). Any other id is kept as a string.
/// </summary>
public sealed class EventIdSet
{
    private const int SplitAfter = 1 << 16;
    private NumberSet? _hex = new();
    private IdTable? _split;
    private int _hexCount;
    private readonly HashSet<string> _other = new(StringComparer.Ordinal);

    /// <summary>The ids of the events already stored in <paramref name="sessionDir"/>.</summary>
    public static EventIdSet Load(string sessionDir)
    {
        var ids = new EventIdSet();
        string path = Path.Combine(sessionDir, "events.ndjson");
        if (!File.Exists(path)) return ids;
        using var reader = new EventReader(path);
        while (reader.TryRead(out TraceEvent e)) ids.Add(e.EventId);
        return ids;
    }

    /// <summary>Adds the id; false when it was there already.</summary>
    public bool Add(string id)
    {
        if (!TryHex(id, out ulong n)) return _other.Add(id);
        if (_split is not null) return _split.Add(n);
        if (!_hex!.Add(n)) return false;
        if (++_hexCount == SplitAfter)
        {
            _split = new IdTable();
            _hex.CopyTo(_split);
            _hex = null;
        }
        return true;
    }

    private static bool TryHex(string id, out ulong n)
    {
        n = 0;
        if (id.Length != 12) return false;
        foreach (char c in id)
        {
            int d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) return false;
            n = (n << 4) | (uint)d;
        }
        return true;
    }
}
