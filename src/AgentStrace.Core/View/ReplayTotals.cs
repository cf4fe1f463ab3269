namespace AgentStrace.View;

/// <summary>What a replay's footer sums over a session and its sub-agents.</summary>
public sealed record ReplayTotals(
    double DurationSeconds, int Steps, int ToolCalls, int Errors, int ModelCalls, int Subagents,
    long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, double CostUsd, bool CostEstimated,
    IReadOnlyList<(string Model, double Usd, int Calls)> Models)
{
    public static ReplayTotals Of(SessionTimeline root)
    {
        var all = root.SelfAndDescendants().ToList();
        var rows = all.SelectMany(t => t.Rows).ToList();
        // Summed per model in order of appearance, then the costliest first. A loop over a small class rather than
        // LINQ over a value tuple: each value-type instantiation of the LINQ iterators costs the binary ~10 KB.
        var byModel = new Dictionary<string, ModelSum>(StringComparer.Ordinal);
        var order = new List<ModelSum>();
        foreach (SessionTimeline t in all)
        {
            foreach (var m in t.Cost.Models)
            {
                if (!byModel.TryGetValue(m.Model, out ModelSum? sum)) order.Add(byModel[m.Model] = sum = new ModelSum(m.Model));
                sum.Usd += m.Usd;
                sum.Calls += m.Calls;
            }
        }
        order.Sort(static (a, b) => b.Usd.CompareTo(a.Usd) is int c && c != 0 ? c : string.CompareOrdinal(a.Model, b.Model));
        var models = new List<(string Model, double Usd, int Calls)>(order.Count);
        foreach (ModelSum m in order) models.Add((m.Model, m.Usd, m.Calls));
        return new ReplayTotals(
            root.DurationSeconds, rows.Count,
            rows.Count(r => r.Type == "tool_call"),
            rows.Count(r => r.IsError),
            rows.Count(r => r.Type is "llm_request" or "llm_response"),
            all.Count - 1,
            all.Sum(t => t.Cost.InputTokens + t.Cost.CacheReadTokens + t.Cost.CacheWriteTokens),
            all.Sum(t => t.Cost.OutputTokens),
            all.Sum(t => t.Cost.CacheReadTokens),
            all.Sum(t => t.Cost.CacheWriteTokens),
            all.Sum(t => t.Cost.TotalUsd),
            all.Any(t => t.Cost.Estimated),
            models);
    }

    private sealed class ModelSum(string model)
    {
        public string Model { get; } = model;
        public double Usd { get; set; }
        public int Calls { get; set; }
    }
}
