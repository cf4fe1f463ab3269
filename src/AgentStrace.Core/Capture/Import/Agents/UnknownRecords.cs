namespace AgentStrace.Capture.Import.Agents;

/// <summary>Record types an import did not know, counted so they are reported once per import (never fatal).</summary>
public sealed class UnknownRecords
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>The kinds in name order.</summary>
    public string[] Kinds
    {
        get
        {
            string[] kinds = [.. _counts.Keys];
            Array.Sort(kinds, StringComparer.Ordinal);
            return kinds;
        }
    }

    public long Total
    {
        get
        {
            long total = 0;
            foreach (long n in _counts.Values) total += n;
            return total;
        }
    }

    public void Add(string agent, string kind)
    {
        string key = agent + ":" + (kind.Length > 0 ? kind : "(untyped)");
        _counts[key] = _counts.TryGetValue(key, out long n) ? n + 1 : 1;
    }

    /// <summary>"3 records of 2 unknown types", or "" when none.</summary>
    public string Summary() => _counts.Count == 0 ? "" : $"{Total} record{(Total == 1 ? "" : "s")} of {_counts.Count} unknown type{(_counts.Count == 1 ? "" : "s")}";
}
