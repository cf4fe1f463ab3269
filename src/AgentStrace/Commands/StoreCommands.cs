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
    public int List(string format = "table", string? since = null, string? until = null, CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TableOrJson.Parse(format, "list");
        TraceStore store = Cli.OpenStore();
        var sessions = store.List(TimeBound.ParseOptional(since, "--since"), TimeBound.ParseOptional(until, "--until"), Output.Text.Warn, cancellationToken);
        using var stdout = StreamBufferWriter.Stdout();
        switch (view)
        {
            case ViewFormat.Table when sessions.Count == 0 && (since is not null || until is not null):
                Output.Text.Line(stdout, $"No sessions in {store.DisplayRoot} for the given --since/--until.");
                break;
            case ViewFormat.Table when !Console.IsOutputRedirected:
                // On a terminal the table is cut to its width rather than wrapped (a pipe gets every column whole).
                var table = new System.Buffers.ArrayBufferWriter<byte>();
                SessionViews.ListTable(sessions, table, store.DisplayRoot);
                int width = Terminal.Width(null);
                foreach (string line in System.Text.Encoding.UTF8.GetString(table.WrittenSpan).TrimEnd('\n').Split('\n')) Output.Text.Line(stdout, View.Cells.Fit(line, width));
                break;
            case ViewFormat.Json: SessionViews.ListJson(sessions, stdout); break;
            default: SessionViews.ListTable(sessions, stdout, store.DisplayRoot); break;
        }
        return 0;
    }

    /// <summary>Print a session's metadata and events as JSON ({"session": ..., "events": [...]}); 'agent-strace replay' shows it as text.</summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session).</param>
    /// <param name="format">-f, json (the only format; for a text view use replay).</param>
    public int Inspect([Argument] string? sessionId = null, string format = "json", CancellationToken cancellationToken = default)
    {
        if (format != "json") throw new AgentStraceException($"Unknown --format '{format}' for inspect: it prints json; for a text view run 'agent-strace replay {sessionId}'.");
        TraceStore store = Cli.OpenStore();
        SessionInfo session = store.FindOrLatest(sessionId, cancellationToken);
        using var stdout = StreamBufferWriter.Stdout();
        SessionViews.InspectJson(session, stdout, m => Output.Text.Warn(m.ToString()), cancellationToken);
        return 0;
    }
}
