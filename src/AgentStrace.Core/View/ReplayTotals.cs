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
        var models = all.SelectMany(t => t.Cost.Models)
            .GroupBy(m => m.Model, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(m => m.Usd), g.Sum(m => m.Calls)))
            .OrderByDescending(m => m.Item2).ThenBy(m => m.Key, StringComparer.Ordinal).ToList();
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
}
