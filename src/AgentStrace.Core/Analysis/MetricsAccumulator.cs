using AgentStrace.Model;

namespace AgentStrace.Analysis;

/// <summary>Counts tool calls, errors, retries and written files over a stream of events (see <see cref="SessionMetrics"/>).</summary>
public sealed class MetricsAccumulator(SessionMetricsMode mode)
{
    private static readonly string[] s_writeTools = ["Write", "Edit", "MultiEdit", "NotebookEdit", "write_file", "edit_file", "create_file"];

    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private string _lastTool = "";
    private int _run;

    public long ToolCalls { get; private set; }
    public long Errors { get; private set; }
    public long Retries { get; private set; }
    public int FilesWritten => _files.Count;
    public double FirstTimestamp { get; private set; } = double.NaN;
    public double LastTimestamp { get; private set; } = double.NaN;

    public void Add(TraceEvent e)
    {
        if (double.IsNaN(FirstTimestamp)) FirstTimestamp = e.Timestamp;
        LastTimestamp = e.Timestamp;
        switch (e.Type)
        {
            case EventType.ToolCall:
                ToolCalls++;
                string tool = e.Data.GetString("tool_name"u8);
                // Upstream: a run counter resets on a new tool name; the 3rd+ consecutive call counts as a retry.
                if (tool == _lastTool) _run++;
                else _run = 0;
                _lastTool = tool;
                if (_run >= 2) Retries++;
                if (mode == SessionMetricsMode.Default && Array.IndexOf(s_writeTools, tool) >= 0)
                {
                    Json.RawJsonObject args = e.Data.GetObject("arguments"u8);
                    AddPath(args.GetString("file_path"u8));
                    AddPath(args.GetString("notebook_path"u8));
                    AddPath(args.GetString("path"u8));
                }
                break;
            case EventType.Error:
                Errors++;
                break;
            case EventType.FileWrite:
                string path = e.Data.GetString("path"u8);
                AddPath(path.Length > 0 ? path : e.Data.GetString("file_path"u8));
                break;
        }
    }

    private void AddPath(string path)
    {
        if (path.Length > 0) _files.Add(path);
    }
}
