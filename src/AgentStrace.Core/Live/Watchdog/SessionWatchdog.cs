using System.Globalization;
using System.IO.Hashing;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Live.Watchdog;

/// <summary>
/// Per-session limit checks, fed every event in file order (upstream's CostWatcher, RetryWatcher, DurationWatcher;
/// the loop rule is the documented one: the same call, tool + arguments, N times within the last M events).
/// Each violation is reported once.
/// </summary>
public sealed class SessionWatchdog(WatchdogLimits limits, double sessionStartedAt)
{
    private readonly Dictionary<string, int> _bashCommands = new(StringComparer.Ordinal);
    private readonly Queue<ulong> _window = new();
    private readonly HashSet<string> _fired = new(StringComparer.Ordinal);

    public double Cost { get; private set; }
    public TraceEvent? LastToolCall { get; private set; }
    public TraceEvent? LastLlmResponse { get; private set; }

    /// <summary>Updates the state with <paramref name="e"/> and returns the limits it crosses (not yet reported).</summary>
    public List<Violation> Observe(TraceEvent e, double now)
    {
        var found = new List<Violation>();
        Cost += Analysis.HeuristicUsage.Dollars(e);
        if (e.Type == EventType.LlmResponse) LastLlmResponse = e;
        ulong key = 0;
        if (e.Type == EventType.ToolCall)
        {
            LastToolCall = e;
            string tool = e.Data.GetString("tool_name"u8);
            RawJsonObject args = e.Data.GetObject("arguments"u8);
            key = CallKey(tool, args);
            if (limits.MaxRetries > 0 && tool.Equals("Bash", StringComparison.OrdinalIgnoreCase) && args.GetString("command"u8) is { Length: > 0 } command)
            {
                int n = _bashCommands[command] = _bashCommands.GetValueOrDefault(command) + 1;
                if (n > limits.MaxRetries) Add(found, "retry:" + command, $"RetryWatcher: command ran {n} times: {Clip(command, 60)}");
            }
            if (limits.LoopThreshold > 0)
            {
                int repeats = _window.Count(k => k == key) + 1;
                if (repeats >= limits.LoopThreshold)
                {
                    string what = tool + " " + Clip(View.SessionViews.Describe(e), 60);
                    Add(found, "loop:" + key.ToString("x16", CultureInfo.InvariantCulture),
                        $"LoopWatcher: the same call ({what}) repeated {repeats} times within the last {limits.LoopWindow} events");
                }
            }
        }
        if (limits.LoopThreshold > 0)
        {
            _window.Enqueue(key);
            while (_window.Count > Math.Max(1, limits.LoopWindow - 1)) _window.Dequeue();
        }
        if (limits.MaxCost > 0 && Cost > limits.MaxCost)
        {
            Add(found, "cost", $"CostWatcher: ${Cost.ToString("0.00", CultureInfo.InvariantCulture)} (threshold: ${limits.MaxCost.Value.ToString("0.00", CultureInfo.InvariantCulture)})");
        }
        CheckDuration(found, now);
        return found;
    }

    /// <summary>The duration limit, also checked between events (upstream checked it only when an event arrived).</summary>
    public List<Violation> Tick(double now)
    {
        var found = new List<Violation>();
        CheckDuration(found, now);
        return found;
    }

    private void CheckDuration(List<Violation> found, double now)
    {
        double elapsed = now - sessionStartedAt;
        if (limits.MaxDuration > 0 && sessionStartedAt > 0 && elapsed > limits.MaxDuration)
        {
            Add(found, "duration", $"DurationWatcher: {elapsed.ToString("0", CultureInfo.InvariantCulture)}s elapsed (threshold: {limits.MaxDuration.Value.ToString("0.###", CultureInfo.InvariantCulture)}s)");
        }
    }

    private void Add(List<Violation> found, string key, string message)
    {
        if (_fired.Add(key)) found.Add(new Violation(key, message));
    }

    // The same call = same tool name and byte-identical arguments JSON.
    private static ulong CallKey(string tool, RawJsonObject args)
    {
        var hash = new XxHash3();
        hash.Append(System.Text.Encoding.UTF8.GetBytes(tool));
        hash.Append([0]);
        hash.Append(args.Raw.Span);
        return hash.GetCurrentHashAsUInt64();
    }

    private static string Clip(string s, int max) => Output.Text.Clip(s, max);
}
