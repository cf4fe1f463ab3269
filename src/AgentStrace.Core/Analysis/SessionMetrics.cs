namespace AgentStrace.Analysis;

/// <summary>
/// The behavioural metrics of one session, defined once and used by <c>export --metrics</c>, <c>baseline</c> and
/// tests (upstream's behavioural metrics, retry definitions and blast radius):
/// <list type="bullet">
/// <item><c>cost_usd</c>: USD from recorded token usage (<see cref="CostAccumulator"/>), estimated where usage is missing.</item>
/// <item><c>duration_s</c>: wall clock: meta <c>total_duration_ms</c>, else end − start, else last − first event.</item>
/// <item><c>tool_calls</c>: number of <c>tool_call</c> events.</item>
/// <item><c>error_rate</c>: <c>error</c> events ÷ max(tool calls, 1).</item>
/// <item><c>retry_rate</c>: the 3rd, 4th… consecutive <c>tool_call</c> of the same tool name ÷ max(tool calls, 1).</item>
/// <item><c>blast_radius</c>: distinct files written: <c>file_write</c> events plus the file paths of Write, Edit,
/// MultiEdit, NotebookEdit (and MCP write_file/edit_file/create_file) tool calls. <see cref="SessionMetricsMode.Upstream"/>
/// counts <c>file_write</c> events only, and prices cost as meta <c>total_tokens</c> × $3/M, as upstream does.</item>
/// </list>
/// </summary>
public sealed record SessionMetrics
{
    public const string CostUsd = "cost_usd";
    public const string DurationS = "duration_s";
    public const string ToolCalls = "tool_calls";
    public const string ErrorRate = "error_rate";
    public const string RetryRate = "retry_rate";
    public const string BlastRadius = "blast_radius";

    /// <summary>Every metric name, in report order.</summary>
    public static readonly string[] Names = [CostUsd, DurationS, ToolCalls, ErrorRate, RetryRate, BlastRadius];

    public required string SessionId { get; init; }
    public string Agent { get; init; } = "unknown";
    public string Model { get; init; } = "unknown";
    public double StartedAt { get; init; }
    public bool Ended { get; init; }

    public double Cost { get; init; }
    public bool CostEstimated { get; init; }
    public double Duration { get; init; }
    public long ToolCallCount { get; init; }
    public double Errors { get; init; }
    public double Retries { get; init; }
    public double FilesWritten { get; init; }

    public double Get(string name) => name switch
    {
        CostUsd => Cost,
        DurationS => Duration,
        ToolCalls => ToolCallCount,
        ErrorRate => Errors / Math.Max(ToolCallCount, 1),
        RetryRate => Retries / Math.Max(ToolCallCount, 1),
        BlastRadius => FilesWritten,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown metric"),
    };

    /// <summary>Unit for display and OTLP (<c>USD</c>, <c>s</c>, <c>1</c>, <c>{file}</c>…).</summary>
    public static string Unit(string name) => name switch
    {
        CostUsd => "USD",
        DurationS => "s",
        ToolCalls => "{call}",
        BlastRadius => "{file}",
        _ => "1",
    };
}

/// <summary>Which formulas <see cref="SessionMetrics"/> uses.</summary>
public enum SessionMetricsMode
{
    /// <summary>Real-usage cost and file-writing tool calls in the blast radius.</summary>
    Default,
    /// <summary>Upstream's v0.76 behavioural-metric formulas, for byte-for-byte comparisons with the Python tool.</summary>
    Upstream,
}
