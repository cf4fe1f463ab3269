namespace AgentStrace.Capture.Import;

/// <summary>
/// The tool calls a transcript stream has made so far (tool_use id → when, which tool), for pairing results with their
/// calls: a hash per id (<see cref="KeyIndex"/>) and the tool names shared, since a long session makes hundreds of
/// thousands of calls to a few tools.
/// </summary>
public sealed class ToolCalls
{
    private readonly KeyIndex _ids = new();
    private readonly List<double> _times = [];
    private readonly List<int> _names = [];
    private readonly List<string> _tools = [];
    private readonly Dictionary<string, int> _toolNumbers = new(StringComparer.Ordinal);

    /// <summary>Records the call; false when its id was seen already (the first one counts).</summary>
    public bool TryAdd(string id, double time, string name)
    {
        _ids.Add(id, out bool added);
        if (!added) return false;
        if (!_toolNumbers.TryGetValue(name, out int tool))
        {
            _toolNumbers[name] = tool = _tools.Count;
            _tools.Add(name);
        }
        _times.Add(time);
        _names.Add(tool);
        return true;
    }

    /// <summary>The call's time and tool name; (0, null) for an id not seen.</summary>
    public (double Time, string? Name) Get(string id)
    {
        int n = _ids.Find(id);
        return n < 0 ? (0, null) : (_times[n], _tools[_names[n]]);
    }
}
