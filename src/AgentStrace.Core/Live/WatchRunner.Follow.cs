using AgentStrace.Export;
using AgentStrace.Live.Spool;
using AgentStrace.Live.Watchdog;
using AgentStrace.Model;
using AgentStrace.Store;
using Utf8StringInterpolation;

namespace AgentStrace.Live;

// The tailer: discovery, reading new lines, the per-event work and the end of a session.
public sealed partial class WatchRunner
{
    /// <summary>How long to wait for the second end signal (session_end event vs meta ended_at) before closing.</summary>
    private const double EndGraceSeconds = 2;
    /// <summary>Sessions already in the store when watch starts are followed when not ended and written to this recently.</summary>
    private static readonly TimeSpan s_activeWindow = TimeSpan.FromHours(24);

    private async Task FollowAsync(StoreSignal signal, CancellationToken cancellationToken)
    {
        double lastStatus = 0, lastDiscovery = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            double now = Clock.Now();
            if (now - lastDiscovery >= 1 || _sessions.Count == 0)
            {
                Discover();
                lastDiscovery = now;
            }
            foreach (LiveSession s in _sessions.Values.ToList())
            {
                if (s.Finished) continue;
                await PumpAsync(s, cancellationToken);
                await CheckEndAsync(s, cancellationToken);
                if (!s.Finished) foreach (Violation v in s.Watchdog.Tick(Clock.Now())) await HandleViolationAsync(s, v, cancellationToken);
            }
            _stdout.Flush();
            if (Streaming && now - lastStatus >= 1)
            {
                WriteStatus(running: true);
                lastStatus = now;
            }
            if (_options.SessionId is not null && _sessions.Count > 0 && _sessions.Values.All(s => s.Finished)) return;
            if (_options.ExitWhenIdle is TimeSpan idle && Clock.Now() - _lastActivity >= idle.TotalSeconds)
            {
                Warn($"no new events for {idle.TotalSeconds:0.###}s; stopping");
                return;
            }
            await signal.WaitAsync(_options.PollInterval, cancellationToken);
        }
    }

    private void Discover()
    {
        if (_options.SessionId is { } id)
        {
            if (_sessions.Count == 0) Follow(_store.Find(id), existedAtStart: true);
            return;
        }
        if (!Directory.Exists(_store.Root)) return;
        var names = Directory.EnumerateDirectories(_store.Root).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.') && Ids.IsSafeSessionId(n)).ToList();
        bool first = _presentAtStart is null;
        _presentAtStart ??= names.ToHashSet(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (_sessions.ContainsKey(name) || _skipped.Contains(name)) continue;
            string dir = _store.SessionDir(name);
            if (!File.Exists(Path.Combine(dir, "meta.json"))) continue; // being created: look again later
            SessionInfo info;
            try
            {
                info = new SessionInfo(name, dir, MetaJson.Read(Path.Combine(dir, "meta.json")));
            }
            catch (Exception ex) when (ex is Errors.AgentStraceException or IOException)
            {
                Report("meta:" + name, $"skipping session {name}: {ex.Message}");
                _skipped.Add(name);
                continue;
            }
            bool existed = first || _presentAtStart.Contains(name);
            SessionProgress? progress = _checkpoint?.Get(name);
            bool follow = progress is { Finished: false }
                || (progress is null && (!existed || (info.Meta.EndedAt is null && RecentlyWritten(info))));
            if (follow) Follow(info, existed);
            else _skipped.Add(name);
        }
    }

    private static bool RecentlyWritten(SessionInfo info) =>
        File.Exists(info.EventsPath) && DateTime.UtcNow - File.GetLastWriteTimeUtc(info.EventsPath) < s_activeWindow;

    private void Follow(SessionInfo info, bool existedAtStart)
    {
        SessionProgress? progress = _checkpoint?.Get(info.Id);
        if (progress is { Finished: true } || _spool?.RecoveredRoots.Contains(info.Id) == true)
        {
            if (_options.SessionId is not null) Warn($"session {info.Id} was already streamed completely");
            _sessions[info.Id] = NewSession(info, 0, 0, finished: true);
            return;
        }
        long emitFrom = 0;
        if (Streaming) emitFrom = Math.Max(progress?.Offset ?? 0, _spool!.RecoveredOffsets.GetValueOrDefault(info.Id));
        long printFrom = existedAtStart && File.Exists(info.EventsPath) ? new FileInfo(info.EventsPath).Length : 0;
        _sessions[info.Id] = NewSession(info, emitFrom, printFrom, finished: false);
        if (_options.SessionId is null) Warn($"following session {info.Id}");
    }

    private LiveSession NewSession(SessionInfo info, long emitFrom, long printFrom, bool finished)
    {
        // The same trace id and root parent as `export` (sub-agents join their root ancestor's trace).
        PlannedSession plan = TraceExportPlan.Build(_store, [info]).First(p => p.Session.Id == info.Id);
        var builder = new Spans.SessionSpanBuilder(_options.Spans, info.Meta, plan.TraceId, plan.RootParentSpanId);
        var s = new LiveSession(info, builder, new SessionWatchdog(_options.Limits, info.Meta.StartedAt), emitFrom, printFrom)
        {
            Finished = finished,
            MetaWriteTime = File.GetLastWriteTimeUtc(info.MetaPath),
        };
        return s;
    }

    private async Task PumpAsync(LiveSession s, CancellationToken cancellationToken)
    {
        var pending = new List<(TraceEvent Event, long End)>();
        s.Tail.ReadNew((e, end) => pending.Add((e, end)), m => Report("line:" + s.Id + m, m));
        if (pending.Count == 0) return;
        _lastActivity = Clock.Now();
        var spans = new List<Spans.Span>();
        foreach (var (e, end) in pending)
        {
            bool replay = end <= s.EmitFrom;
            spans.Clear();
            s.Builder.Add(e, spans.Add);
            s.Events++;
            s.LastEventAt = e.Timestamp;
            if (e.Type == EventType.SessionEnd) s.SawSessionEnd = true;
            if (!replay)
            {
                foreach (Spans.Span span in spans) await EnqueueAsync(s, span, end, isRoot: false, cancellationToken);
            }
            if (end > s.PrintFrom && !_options.Quiet) PrintEvent(s, e);
            foreach (Violation v in s.Watchdog.Observe(e, Clock.Now()))
            {
                if (!replay && !s.Finished) await HandleViolationAsync(s, v, cancellationToken);
            }
            if (s.Finished) return;
        }
        if (Streaming) await _channel!.Writer.WriteAsync(new LiveItem(s.Id, s.Tail.Offset, null, false), cancellationToken);
    }

    private async Task EnqueueAsync(LiveSession s, Spans.Span span, long sourceOffset, bool isRoot, CancellationToken cancellationToken)
    {
        if (!Streaming) return;
        Spans.ResourceSpans rs = s.Builder.NewResource();
        rs.Spans.Add(span);
        _proto.Reset();
        Otlp.Protobuf.TraceRequestWriter.Write(_proto, [rs]);
        var record = new Spool.SpoolRecord(s.Id, sourceOffset, Clock.Now(), isRoot, _proto.WrittenSpan.ToArray());
        await _channel!.Writer.WriteAsync(new LiveItem(s.Id, sourceOffset, record, false), cancellationToken);
    }

    private async Task CheckEndAsync(LiveSession s, CancellationToken cancellationToken)
    {
        DateTime written = File.Exists(s.Info.MetaPath) ? File.GetLastWriteTimeUtc(s.Info.MetaPath) : s.MetaWriteTime;
        if (written != s.MetaWriteTime)
        {
            try
            {
                s.Meta = MetaJson.Read(s.Info.MetaPath);
                s.MetaWriteTime = written;
            }
            catch (Exception ex) when (ex is Errors.AgentStraceException or IOException)
            {
                Report("meta:" + s.Id, $"cannot read {s.Info.MetaPath}: {ex.Message}");
            }
        }
        bool ended = s.Meta.EndedAt is not null;
        if (!ended && !s.SawSessionEnd) return;
        double now = Clock.Now();
        s.EndSignalAt ??= now;
        if ((ended && s.SawSessionEnd) || now - s.EndSignalAt >= EndGraceSeconds) await FinishAsync(s, null, cancellationToken);
    }

    /// <summary>Closes the session: leftover call spans, then the root span (ERROR with the reason when killed).</summary>
    private async Task FinishAsync(LiveSession s, string? errorReason, CancellationToken cancellationToken)
    {
        s.Finished = true;
        s.Builder.UpdateMeta(s.Meta);
        var spans = new List<Spans.Span>();
        s.Builder.Finish(spans.Add);
        foreach (Spans.Span span in spans)
        {
            bool isRoot = ReferenceEquals(span.SpanId, s.Builder.RootSpanId);
            if (isRoot && errorReason is not null)
            {
                span.Status = Spans.StatusCode.Error;
                span.StatusMessage = errorReason;
            }
            await EnqueueAsync(s, span, s.Tail.Offset, isRoot, cancellationToken);
        }
        if (Streaming) await _channel!.Writer.WriteAsync(new LiveItem(s.Id, s.Tail.Offset, null, true), cancellationToken);
        Warn($"session {s.Id} {(errorReason is null ? "ended" : "stopped by the watchdog")} ({s.Events} events, ${s.Watchdog.Cost:0.0000})");
    }

    private void PrintEvent(LiveSession s, TraceEvent e)
    {
        string time = Clock.ToUtc(e.Timestamp).ToLocalTime().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        string id = s.Id.Length > 8 ? s.Id[..8] : s.Id;
        Utf8String.Format(_stdout, $"{time}  {id}  {e.Type.Name(),-18} {View.SessionViews.Describe(e)}\n");
    }
}
