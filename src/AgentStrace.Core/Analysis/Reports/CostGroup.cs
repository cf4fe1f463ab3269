using AgentStrace.Analysis.Pricing;

namespace AgentStrace.Analysis.Reports;

/// <summary>Tokens, requests and USD of one report row (and of each model within it).</summary>
public sealed class CostGroup(string key)
{
    public string Key { get; } = key;
    /// <summary>Extra text shown beside the key (a session's kind and start, ...), or "".</summary>
    public string Note { get; set; } = "";
    public int Calls { get; private set; }
    public int EstimatedCalls { get; private set; }
    public long Input { get; private set; }
    public long Output { get; private set; }
    public long CacheWrite { get; private set; }
    public long CacheWrite1h { get; private set; }
    public long CacheRead { get; private set; }
    public long WebSearches { get; private set; }
    public double Usd { get; private set; }
    public double First { get; private set; } = double.NaN;
    public double Last { get; private set; } = double.NaN;
    public Dictionary<string, CostGroup> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>The models in name order.</summary>
    public IEnumerable<CostGroup> ModelRows => Models.Values.OrderBy(m => m.Key, StringComparer.Ordinal);
    public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);

    public long TotalTokens => Input + Output + CacheWrite + CacheRead;
    public bool Estimated => EstimatedCalls > 0;

    public void Add(PricedCall call, string sessionId, bool withModels = true)
    {
        Sessions.Add(sessionId);
        Calls++;
        if (call.Estimated) EstimatedCalls++;
        RequestUsage u = call.Usage;
        Input += u.Input;
        Output += u.Output;
        CacheWrite += u.CacheWrite;
        CacheWrite1h += u.CacheWrite1h;
        CacheRead += u.CacheRead;
        WebSearches += u.WebSearchRequests;
        Usd += call.Usd;
        if (!double.IsNaN(call.Timestamp))
        {
            if (double.IsNaN(First) || call.Timestamp < First) First = call.Timestamp;
            if (double.IsNaN(Last) || call.Timestamp > Last) Last = call.Timestamp;
        }
        if (!withModels) return;
        if (!Models.TryGetValue(call.Model, out CostGroup? m)) Models[call.Model] = m = new CostGroup(call.Model);
        m.Add(call, sessionId, false);
    }
}
