namespace AgentStrace.Analysis;

/// <summary>The USD cost of one session and how it was obtained.</summary>
public sealed class SessionCost
{
    /// <summary><c>usage</c> (recorded token counts), <c>heuristic</c> (upstream estimate, no model calls recorded) or <c>mixed</c>.</summary>
    public string Method { get; set; } = "usage";
    public List<ModelCost> Models { get; } = [];
    public double TotalUsd => Models.Sum(m => m.Usd);
    public long InputTokens => Models.Sum(m => m.InputTokens);
    public long OutputTokens => Models.Sum(m => m.OutputTokens);
    public long CacheWriteTokens => Models.Sum(m => m.CacheWriteTokens);
    public long CacheReadTokens => Models.Sum(m => m.CacheReadTokens);
    public int Calls => Models.Sum(m => m.Calls);
    public int EstimatedCalls => Models.Sum(m => m.EstimatedCalls);
    /// <summary>True when any part of the figure is an estimate rather than recorded usage.</summary>
    public bool Estimated => Method != "usage";
    public IEnumerable<string> UnpricedModels => Models.Where(m => !m.Priced).Select(m => m.Model);
}
