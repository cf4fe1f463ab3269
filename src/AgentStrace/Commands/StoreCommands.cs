using AgentStrace.Errors;
using AgentStrace.Output;
using AgentStrace.Store;
using AgentStrace.View;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class StoreCommands
{
    /// <summary>List recorded sessions, newest first.</summary>
    /// <param name="format">-f, Output format: table or json.</param>
    /// <param name="since">Only sessions started at or after this time (7d, 24h, 2026-01-31, epoch).</param>
    /// <param name="until">Only sessions started at or before this time.</param>
    public int List(string format = "table", string? since = null, string? until = null)
    {
        TraceStore store = Cli.OpenStore();
        var sessions = store.List(TimeBound.ParseOptional(since, "--since"), TimeBound.ParseOptional(until, "--until"), Output.Text.Warn);
        using var stdout = StreamBufferWriter.Stdout();
        switch (format)
        {
            case "table": SessionViews.ListTable(sessions, stdout); break;
            case "json": SessionViews.ListJson(sessions, stdout); break;
            default: throw new AgentStraceException($"Unknown --format '{format}' for list: use table or json.");
        }
        return 0;
    }

    /// <summary>Print a session's metadata and events as JSON ({"session": ..., "events": [...]}).</summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session).</param>
    public int Inspect([Argument] string? sessionId = null)
    {
        TraceStore store = Cli.OpenStore();
        SessionInfo session = store.FindOrLatest(sessionId);
        using var stdout = StreamBufferWriter.Stdout();
        SessionViews.InspectJson(session, stdout, m => Output.Text.Warn(m.ToString()));
        return 0;
    }
}
