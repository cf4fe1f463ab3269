using AgentStrace.Capture.Mcp;
using AgentStrace.Capture.Redaction;

namespace AgentStrace.Cli.Commands;

internal sealed class RecordCommands
{
    /// <summary>Run an MCP stdio server behind a recording proxy: agent-strace record [--name N] -- &lt;command&gt; [args...].</summary>
    /// <param name="name">Session agent name (default: the command's file name).</param>
    /// <param name="parent">Parent session id or prefix (links this session as a sub-agent).</param>
    /// <param name="noRedact">Store secrets unredacted.</param>
    /// <param name="quiet">-q, No status lines on stderr.</param>
    public async Task<int> Record(string name = "", string parent = "", bool noRedact = false, bool quiet = false, CancellationToken cancellationToken = default)
    {
        var options = new McpProxyOptions(Cli.Tail, name, parent, quiet, !noRedact && Redactor.EnabledByEnvironment());
        return await McpProxy.RunAsync(options, Cli.OpenStore(), Console.Error, cancellationToken);
    }
}
