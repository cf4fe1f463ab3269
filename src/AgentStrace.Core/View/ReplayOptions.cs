namespace AgentStrace.View;

/// <summary>How sub-agents appear in a replay.</summary>
public enum SubagentLayout
{
    /// <summary>One summary line under the tool call that started each sub-agent.</summary>
    Collapsed,
    /// <summary>The sub-agent's steps inline under its tool call, indented.</summary>
    Inline,
    /// <summary>Sessions and their steps drawn as a tree.</summary>
    Tree,
}

/// <summary>What a replay shows: the layout of sub-agents and an optional filter of step types.</summary>
public sealed record ReplayOptions
{
    public SubagentLayout Layout { get; init; } = SubagentLayout.Collapsed;
    /// <summary>Step types to keep (event type names or their labels, plus <c>error</c> for any failed step); empty keeps all.</summary>
    public IReadOnlySet<string> Filter { get; init; } = new HashSet<string>();

    public static readonly string[] FilterWords =
    [
        "session_start", "session_end", "tool_call", "tool_result", "llm_request", "llm_response", "file_read", "file_write",
        "decision", "error", "user_prompt", "assistant_response", "prompt", "llm", "tool", "result", "response", "write", "read", "start", "end",
    ];

    /// <summary>Parses <c>--filter tool_call,error</c>; unknown words are a usage error naming the valid ones.</summary>
    public static HashSet<string> ParseFilter(string? filter)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(filter)) return set;
        foreach (string word in filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string w = word.ToLowerInvariant();
            if (Array.IndexOf(FilterWords, w) < 0)
            {
                throw new Errors.AgentStraceException($"Unknown --filter type '{word}': use {string.Join(", ", FilterWords[..12])} (or prompt, llm, tool, response, write).");
            }
            set.Add(w);
        }
        return set;
    }

    public bool Keeps(TimelineRow row)
    {
        if (Filter.Count == 0) return true;
        if (row.IsError && Filter.Contains("error")) return true;
        if (Filter.Contains(row.Type)) return true;
        string label = row.Label.Replace(" ✗", "", StringComparison.Ordinal);
        if (Filter.Contains(label)) return true;
        return row.Type == "llm_request" && Filter.Contains("llm_response");
    }
}
