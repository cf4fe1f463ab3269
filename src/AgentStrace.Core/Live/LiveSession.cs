using AgentStrace.Live.Watchdog;
using AgentStrace.Model;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Live;

/// <summary>One followed session: its tail, span builder and watchdog state.</summary>
public sealed class LiveSession(SessionInfo info, SessionSpanBuilder builder, SessionWatchdog watchdog, long emitFrom, long printFrom)
{
    public SessionInfo Info { get; } = info;
    public string Id => Info.Id;
    public EventTail Tail { get; } = new(info.EventsPath, 0);
    public SessionSpanBuilder Builder { get; } = builder;
    public SessionWatchdog Watchdog { get; } = watchdog;
    /// <summary>Events ending at or before this offset already have their spans spooled (replayed for state only).</summary>
    public long EmitFrom { get; } = emitFrom;
    /// <summary>Events ending at or before this offset are not printed (they were there before watch started).</summary>
    public long PrintFrom { get; } = printFrom;
    public SessionMeta Meta { get; set; } = info.Meta;
    public DateTime MetaWriteTime { get; set; }
    /// <summary>When a session_end event or meta ended_at was first seen (Unix seconds).</summary>
    public double? EndSignalAt { get; set; }
    public bool SawSessionEnd { get; set; }
    public bool Finished { get; set; }
    public double LastEventAt { get; set; }
    public long Events { get; set; }

    public string Short => Id.Length > 12 ? Id[..12] : Id;
}
