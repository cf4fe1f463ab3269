using System.Diagnostics;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// The hard time budget of one hook call, measured from the start of the hook: SessionEnd 1.2 s (Claude Code kills
/// SessionEnd hooks at 1.5 s), every other event 5 s. Stdin gets at most 40 % of it, the session lock at most
/// 1 s (SessionEnd: 0.3 s; an event that cannot take it is spilled, not lost), and transcript reading at Stop and
/// SessionEnd only what is left, resuming at the next call. A cancelled call (SIGINT, SIGTERM) has no time left: it
/// stops reading where it is and writes what it read, as when the budget runs out.
/// </summary>
public sealed class HookDeadline
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Func<CancellationToken>? _arm;
    private CancellationToken _cancellation;
    private bool _armed;

    /// <param name="ev">The event: its budget.</param>
    /// <param name="cancellation">
    /// Gives the call's cancellation token, asked at the first <see cref="HasLeft"/>: only calls that read long ask it,
    /// so the hook arms its signal handlers (a thread in the runtime) only for them, never on the per-tool-call path.
    /// </param>
    public HookDeadline(HookEvent ev, Func<CancellationToken>? cancellation = null)
    {
        _arm = cancellation;
        Budget = ev == HookEvent.SessionEnd ? TimeSpan.FromMilliseconds(1200) : TimeSpan.FromSeconds(5);
        LockWait = ev == HookEvent.SessionEnd ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(1);
    }

    public TimeSpan Budget { get; }
    public TimeSpan LockWait { get; }
    public TimeSpan Stdin => Budget * 0.4;
    public TimeSpan Remaining => Budget - _clock.Elapsed;

    /// <summary>Whether there is still <paramref name="reserve"/> left (time to finish writing what was read).</summary>
    public bool HasLeft(TimeSpan reserve)
    {
        if (!_armed)
        {
            _armed = true;
            _cancellation = _arm?.Invoke() ?? CancellationToken.None;
        }
        return !_cancellation.IsCancellationRequested && Remaining > reserve;
    }

    /// <summary>No deadline: commands other than hooks (import) read transcripts to the end.</summary>
    public static HookDeadline? None => null;
}
