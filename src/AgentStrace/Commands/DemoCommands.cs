using AgentStrace.Demo;
using AgentStrace.Output;
using AgentStrace.Store;
using Utf8StringInterpolation;

namespace AgentStrace.Cli.Commands;

internal sealed class DemoCommands
{
    /// <summary>Run the whole pipeline on an embedded sample Claude Code session (no setup needed).</summary>
    /// <param name="keep">Keep the temporary store and print its path.</param>
    public int Demo(bool keep = false)
    {
        string dir = Path.Combine(Path.GetTempPath(), "agent-strace-demo-" + Environment.ProcessId + "-" + Random.Shared.Next(1_000_000));
        var store = new TraceStore(dir);
        try
        {
            SessionInfo session = DemoSession.Write(store);
            using var stdout = StreamBufferWriter.Stdout();
            Utf8String.Format(stdout, $"agent-strace demo: a sample Claude Code session, recorded into {dir}\n\n");
            SessionViews.ListTable(store.List(), stdout);
            Utf8String.Format(stdout, $"\nSession {session.Id} (\"{session.Meta.AgentName}\", {session.Meta.ToolCalls} tool calls, {session.Meta.LlmRequests} model calls, {session.Meta.Errors} error):\n");
            SessionViews.Timeline(session, stdout, m => Cli.Warn(m.ToString()));
            if (keep)
            {
                Utf8String.Format(stdout, $"\nThe store is kept at {dir}. Try:\n  agent-strace --trace-dir {dir} list\n  agent-strace --trace-dir {dir} inspect {session.Id}\n");
            }
            return 0;
        }
        finally
        {
            if (!keep) TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
