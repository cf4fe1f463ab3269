namespace AgentStrace.View;

/// <summary>A tool's calls, failures and durations (milliseconds) over the sessions of a <see cref="SessionStats"/>.</summary>
public sealed record ToolStat(string Name, int Calls, int Errors, double P50Ms, double P95Ms, double MaxMs);

/// <summary>A model's calls, tokens and cost over the sessions of a <see cref="SessionStats"/>.</summary>
public sealed record ModelStat(string Model, int Calls, long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, double Usd);

/// <summary>
/// What <c>stats</c> reports and <c>diff</c> compares: tool frequency and durations, error and retry rates, files
/// touched, tokens and cost by model, over one or more sessions with their sub-agents rolled up.
/// </summary>
public sealed class SessionStats
{
    public required string Title { get; init; }
    public int Sessions { get; init; }
    public int Subagents { get; init; }
    public double DurationSeconds { get; init; }
    public int ToolCalls { get; init; }
    public int Errors { get; init; }
    public long Retries { get; init; }
    public int ModelCalls { get; init; }
    public required List<ToolStat> Tools { get; init; }
    public required List<ModelStat> Models { get; init; }
    public required List<string> FilesWritten { get; init; }
    public required List<string> FilesRead { get; init; }
    public bool CostEstimated { get; init; }

    public double ErrorRate => ToolCalls == 0 ? 0 : (double)Errors / ToolCalls;
    public double RetryRate => ToolCalls == 0 ? 0 : (double)Retries / ToolCalls;
    public double CostUsd => Models.Sum(m => m.Usd);
    public long InputTokens => Models.Sum(m => m.InputTokens);
    public long OutputTokens => Models.Sum(m => m.OutputTokens);

    /// <summary>Rolls up the given top sessions and every sub-agent below them.</summary>
    public static SessionStats Of(string title, IReadOnlyList<SessionTimeline> roots)
    {
        var all = roots.SelectMany(r => r.SelfAndDescendants()).ToList();
        var rows = all.SelectMany(t => t.Rows).ToList();
        var tools = rows.Where(r => r.Type == "tool_call")
            .GroupBy(r => r.Name.Length > 0 ? r.Name : "(unnamed)", StringComparer.Ordinal)
            .Select(g =>
            {
                double[] ms = g.Where(r => r.DurationMs is not null).Select(r => r.DurationMs!.Value).Order().ToArray();
                return new ToolStat(g.Key, g.Count(), g.Count(r => r.IsError), Percentile(ms, 0.50), Percentile(ms, 0.95), ms.Length > 0 ? ms[^1] : 0);
            })
            .OrderByDescending(t => t.Calls).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        var models = all.SelectMany(t => t.Cost.Models)
            .GroupBy(m => m.Model, StringComparer.Ordinal)
            .Select(g => new ModelStat(g.Key, g.Sum(m => m.Calls),
                g.Sum(m => m.InputTokens + m.CacheReadTokens + m.CacheWriteTokens), g.Sum(m => m.OutputTokens),
                g.Sum(m => m.CacheReadTokens), g.Sum(m => m.CacheWriteTokens), g.Sum(m => m.Usd)))
            .OrderByDescending(m => m.Usd).ThenBy(m => m.Model, StringComparer.Ordinal).ToList();
        return new SessionStats
        {
            Title = title,
            Sessions = roots.Count,
            Subagents = all.Count - roots.Count,
            DurationSeconds = roots.Sum(r => r.DurationSeconds),
            ToolCalls = rows.Count(r => r.Type == "tool_call"),
            Errors = rows.Count(r => r.IsError),
            Retries = all.Sum(t => t.Retries),
            ModelCalls = rows.Count(r => r.Type is "llm_request" or "llm_response"),
            Tools = tools,
            Models = models,
            FilesWritten = all.SelectMany(t => t.FilesWritten).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            FilesRead = all.SelectMany(t => t.FilesRead).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            CostEstimated = all.Any(t => t.Cost.Estimated),
        };
    }

    /// <summary>Nearest-rank percentile of sorted values (0 when there are none).</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return 0;
        int rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
