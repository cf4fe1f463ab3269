using System.Threading.Channels;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Live.Spool;
using AgentStrace.Model;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Output;
using AgentStrace.Store;

namespace AgentStrace.Live;

/// <summary>
/// <c>watch</c>: follows sessions as their events are appended, prints one line per event, runs the watchdog and,
/// with <c>--stream-to</c>, builds spans as calls complete and passes them through one bounded channel into the
/// durable spool, from which <see cref="SpanSender"/> delivers them (one bounded channel that waits when full: nothing is dropped silently).
/// </summary>
/// <remarks>Exit code: 0 clean stop, 1 a watchdog limit was crossed, 3 spans are still spooled after the drain timeout.</remarks>
public sealed partial class WatchRunner : IDisposable
{
    public const string SpoolDirName = ".spool";
    private readonly TraceStore _store;
    private readonly WatchOptions _options;
    private readonly OtlpSpanDelivery? _delivery;
    private readonly Dictionary<string, LiveSession> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly LiveStatus _status;
    private readonly StreamBufferWriter _stdout = StreamBufferWriter.Stdout();
    private readonly ProtoWriter _proto = new(16 * 1024);
    private readonly Channel<LiveItem>? _channel;
    private HashSet<string>? _presentAtStart;
    private Checkpoint? _checkpoint;
    private SpanSpool? _spool;
    private SpanSender? _sender;
    private FileStream? _lock;
    private int _violations;
    private double _lastActivity = Clock.Now();

    public WatchRunner(TraceStore store, WatchOptions options, OtlpSpanDelivery? delivery)
    {
        _store = store;
        _options = options;
        _delivery = delivery;
        _status = new LiveStatus { Destination = delivery?.Destination ?? "" };
        if (delivery is not null)
        {
            _channel = Channel.CreateBounded<LiveItem>(new BoundedChannelOptions(1024)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = true,
                AllowSynchronousContinuations = false,
            });
        }
    }

    private string SpoolDir => Path.Combine(_store.Root, SpoolDirName);
    private bool Streaming => _channel is not null;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (_options.SessionId is { } id) _store.Find(id); // fail fast on a bad id
        else if (!Directory.Exists(_store.Root)) throw new AgentStraceException($"No store at {_store.DisplayRoot}. Record a session first, or pass --trace-dir.");
        Task appender = Task.CompletedTask, sending = Task.CompletedTask;
        using var sendStop = new CancellationTokenSource();
        if (Streaming) (appender, sending) = StartStreaming(sendStop.Token);
        using var signal = new StoreSignal(_store.Root, Warn);
        Banner();
        try
        {
            await FollowAsync(signal, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: a clean stop; what is spooled is delivered below.
        }
        finally
        {
            _stdout.Flush();
        }
        int left = 0;
        if (Streaming)
        {
            _channel!.Writer.Complete();
            await appender;
            await sendStop.CancelAsync();
            await sending;
            left = await _sender!.DrainAsync(_options.DrainTimeout, CancellationToken.None);
            WriteStatus(running: false);
            if (left > 0)
            {
                Warn($"{left} span(s) could not be delivered to {_delivery!.Destination} and stay in {Path.Combine(_store.DisplayRoot, SpoolDirName)}; the next 'agent-strace watch --stream-to' sends them");
            }
        }
        if (left > 0) return ExitCodes.Delivery;
        return _violations > 0 ? ExitCodes.Found : ExitCodes.Ok;
    }

    private (Task Appender, Task Sender) StartStreaming(CancellationToken sendStop)
    {
        Directory.CreateDirectory(SpoolDir);
        _lock = AcquireLock();
        _checkpoint = Checkpoint.Load(Path.Combine(SpoolDir, "checkpoint.json"));
        _spool = new SpanSpool(SpoolDir, _checkpoint, _options.SpoolCapBytes, Warn);
        if (_spool.PendingSpans > 0) Warn($"resuming: {_spool.PendingSpans} spooled span(s) from an earlier run are sent first");
        _sender = new SpanSender(_spool, _delivery!, _status, Warn) { BatchSize = _options.BatchSize, FlushInterval = _options.FlushInterval };
        _sender.Nudge();
        return (Task.Run(AppendLoopAsync, CancellationToken.None), Task.Run(() => _sender.RunAsync(sendStop), CancellationToken.None));
    }

    private FileStream AcquireLock()
    {
        string path = Path.Combine(SpoolDir, "watch.lock");
        try
        {
            FileStream f = OperatingSystem.IsWindows()
                ? SafeFile.OpenUnshared(path)
                : SafeFile.OpenLocked(path);
            f.SetLength(0);
            f.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            f.Flush();
            return f;
        }
        catch (IOException)
        {
            throw new AgentStraceException($"Another 'agent-strace watch --stream-to' is already streaming from {_store.DisplayRoot} (lock {path}); stop it first or use 'agent-strace watch --status'.");
        }
    }

    // The tailer's half of the channel: spooled spans and checkpoint marks, in order.
    private async Task AppendLoopAsync()
    {
        ChannelReader<LiveItem> reader = _channel!.Reader;
        var records = new List<SpoolRecord>();
        var marks = new Dictionary<string, (long Offset, bool Finished)>(StringComparer.Ordinal);
        while (await reader.WaitToReadAsync())
        {
            records.Clear();
            marks.Clear();
            bool root = false;
            while (records.Count < 256 && reader.TryRead(out LiveItem item))
            {
                if (item.Record is not null) records.Add(item.Record);
                root |= item.Record?.IsRoot == true;
                var old = marks.GetValueOrDefault(item.SessionId);
                marks[item.SessionId] = (Math.Max(old.Offset, item.Offset), old.Finished | item.Finished);
            }
            while (true)
            {
                try
                {
                    _spool!.Append(records);
                    foreach (var (id, m) in marks) _checkpoint!.SetSession(id, m.Offset, m.Finished);
                    _checkpoint!.Save();
                    break;
                }
                catch (IOException ex)
                {
                    // Disk full or similar: keep the items and retry; the tailer waits on the bounded channel.
                    Report("spool-io", $"cannot write the spool in {SpoolDir} ({ex.Message}); retrying");
                    await Task.Delay(1000);
                }
            }
            _sender!.Nudge(root);
        }
    }

    private void Banner()
    {
        string what = _options.SessionId is { } id ? $"session {id}" : $"active sessions in {_store.DisplayRoot}";
        Warn($"watching {what}{(_options.Limits.DryRun ? " [dry-run]" : "")} (Ctrl-C to stop)");
        if (_delivery is not null) Warn($"streaming spans to {_delivery.Destination}");
    }

    private void WriteStatus(bool running)
    {
        long lag = 0;
        double? last = null;
        foreach (LiveSession s in _sessions.Values)
        {
            lag += s.Tail.Lag;
            if (s.LastEventAt > 0) last = Math.Max(last ?? 0, s.LastEventAt);
        }
        try
        {
            _status.Write(Path.Combine(SpoolDir, LiveStatus.FileName), _sessions.Values.Count(s => !s.Finished), lag, last, _spool, running);
        }
        catch (IOException ex)
        {
            Report("status-io", $"cannot write {LiveStatus.FileName} ({ex.Message})");
        }
    }

    private void Warn(string message) => Output.Text.Warn("watch: " + message);

    // Each kind of recurring problem is reported once.
    private void Report(string kind, string message)
    {
        lock (_reported)
        {
            if (!_reported.Add(kind)) return;
        }
        Warn(message);
    }

    public void Dispose()
    {
        _spool?.Dispose();
        _lock?.Dispose();
        _proto.Dispose();
        _stdout.Dispose();
    }

    private readonly record struct LiveItem(string SessionId, long Offset, SpoolRecord? Record, bool Finished);
}
