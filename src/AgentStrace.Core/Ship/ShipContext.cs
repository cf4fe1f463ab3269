using System.Globalization;
using AgentStrace.FileSystem;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Ship;

/// <summary>What one shipper run works with, and its log (<c>&lt;store&gt;/.outbox/ship.log</c>, which a background run
/// has instead of a terminal; header values never reach it: the transport's messages hold none).</summary>
internal sealed class ShipContext(string storeRoot, ShipState state, ShipFilter filter, SpanOptions spans, int batchSpans, Action<string>? echo)
{
    public const string LogName = "ship.log";
    private const long MaxLogBytes = 1 << 20;
    private readonly object _gate = new();

    public ShipState State { get; } = state;
    public ShipFilter Filter { get; } = filter;
    public SpanOptions Spans { get; } = spans;
    public int BatchSpans { get; } = Math.Max(1, batchSpans);
    /// <summary>With <c>--metrics</c>: where a finished session's metrics go.</summary>
    public ShipMetrics? Metrics { get; init; }
    public string LastError { get; set; } = "";

    public void Warn(string message)
    {
        echo?.Invoke(message);
        Log(message);
    }

    public void Log(string message)
    {
        lock (_gate)
        {
            try
            {
                string path = Path.Combine(Outbox.Dir(storeRoot), LogName);
                if (File.Exists(path) && new FileInfo(path).Length > MaxLogBytes) File.Move(path, path + ".1", overwrite: true);
                SafeFile.AppendAllText(path, DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + " [" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "] " + message.ReplaceLineEndings(" ") + "\n");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }
}
