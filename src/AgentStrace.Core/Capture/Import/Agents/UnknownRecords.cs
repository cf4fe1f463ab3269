namespace AgentStrace.Capture.Import.Agents;

/// <summary>Record types an import did not know, counted so they are reported once per import (never fatal).</summary>
public sealed class UnknownRecords
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Counts
    {
        get { lock (_counts) return new Dictionary<string, long>(_counts, StringComparer.Ordinal); }
    }

    /// <summary>The kinds in name order.</summary>
    public string[] Kinds
    {
        get
        {
            string[] kinds;
            lock (_counts) kinds = [.. _counts.Keys];
            Array.Sort(kinds, StringComparer.Ordinal);
            return kinds;
        }
    }

    public long Total
    {
        get
        {
            long total = 0;
            lock (_counts) foreach (long n in _counts.Values) total += n;
            return total;
        }
    }

    public void Add(string agent, string kind)
    {
        string key = agent + ":" + (kind.Length > 0 ? kind : "(untyped)");
        lock (_counts) _counts[key] = _counts.TryGetValue(key, out long n) ? n + 1 : 1;
    }

    /// <summary>"3 records of 2 unknown types", or "" when none.</summary>
    public string Summary()
    {
        long total = Total;
        int types = Kinds.Length;
        return types == 0 ? "" : $"{total} record{(total == 1 ? "" : "s")} of {types} unknown type{(types == 1 ? "" : "s")}";
    }
}
