namespace AgentStrace.Capture.Mcp;

/// <summary>Options of <c>record</c>: the server command line, session name, parent session prefix, quiet.</summary>
public sealed record McpProxyOptions(string[] Command, string Name, string Parent, bool Quiet, bool Redact);
