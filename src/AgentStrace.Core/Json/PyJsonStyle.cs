namespace AgentStrace.Json;

/// <summary>The three <c>json.dumps</c> layouts the Python tool produces.</summary>
public enum PyJsonStyle
{
    /// <summary><c>separators=(",", ":")</c>: events.ndjson lines.</summary>
    Compact,
    /// <summary>Python's default <c>", "</c> / <c>": "</c>: attribute strings, cost heuristic, summaries.</summary>
    Default,
    /// <summary><c>indent=2</c>: meta.json, inspect, reports.</summary>
    Indented,
}
