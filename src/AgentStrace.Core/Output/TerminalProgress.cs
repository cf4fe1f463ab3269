using System.Diagnostics;

namespace AgentStrace.Output;

/// <summary>
/// One self-overwriting status line on stderr for long runs, shown only when stderr is a terminal (quiet when piped or
/// in CI), updated at most five times a second, erased when done.
/// </summary>
public sealed class TerminalProgress : IDisposable
{
    private readonly bool _enabled;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastShownMs = -1000;
    private int _width;

    public TerminalProgress(bool? enabled = null) => _enabled = enabled ?? !Console.IsErrorRedirected;

    public void Report(Func<string> text)
    {
        if (!_enabled || _clock.ElapsedMilliseconds - _lastShownMs < 200) return;
        _lastShownMs = _clock.ElapsedMilliseconds;
        string line = text();
        Console.Error.Write("\r" + line.PadRight(_width));
        _width = line.Length;
    }

    /// <summary>Erases the line (before a warning, so it does not land on the status line); the next report shows again.</summary>
    public void Clear()
    {
        if (_enabled && _width > 0) Console.Error.Write("\r" + new string(' ', _width) + "\r");
        _width = 0;
        _lastShownMs = -1000;
    }

    public void Dispose() => Clear();
}
