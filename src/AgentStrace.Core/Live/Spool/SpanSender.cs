using System.Diagnostics;
using AgentStrace.Model;
using AgentStrace.Otlp.Protobuf;
using AgentStrace.Spans;

namespace AgentStrace.Live.Spool;

/// <summary>
/// Sends spooled spans: as soon as <see cref="BatchSize"/> are waiting, when the oldest has waited
/// <see cref="FlushInterval"/>, or at once after a root span (the session ended). A failed send leaves the spans in
/// the spool and retries with backoff (1 s doubling to 30 s); nothing is acknowledged before the collector took it.
/// </summary>
public sealed class SpanSender(SpanSpool spool, OtlpSpanDelivery delivery, LiveStatus status, Action<string> warn)
{
    private const int MaxRequestSpans = 512;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private volatile bool _flushNow;
    private TimeSpan _backoff = TimeSpan.Zero;
    private double _retryAt;
    private bool _failing;

    public int BatchSize { get; init; } = 10;
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>New spans are in the spool; <paramref name="flushNow"/> skips the flush interval (root span, shutdown).</summary>
    public void Nudge(bool flushNow = false)
    {
        if (flushNow) _flushNow = true;
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait = NextWait();
            if (wait != TimeSpan.Zero)
            {
                try { await _signal.WaitAsync(wait, cancellationToken); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            _flushNow = false;
            await SendOnceAsync(cancellationToken);
        }
    }

    /// <summary>Sends everything left until the spool is empty or <paramref name="deadline"/> passes; returns spans left.</summary>
    public async Task<int> DrainAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (spool.PendingSpans > 0 && clock.Elapsed < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (!await SendOnceAsync(cancellationToken))
            {
                TimeSpan pause = TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(0, (deadline - clock.Elapsed).TotalMilliseconds)));
                try { await Task.Delay(pause, cancellationToken); } catch (OperationCanceledException) { break; }
            }
        }
        return spool.PendingSpans;
    }

    private TimeSpan NextWait()
    {
        int pending = spool.PendingSpans;
        if (pending == 0) return Timeout.InfiniteTimeSpan;
        double now = Clock.Now();
        if (now < _retryAt) return TimeSpan.FromSeconds(_retryAt - now);
        if (_flushNow || pending >= BatchSize) return TimeSpan.Zero;
        double age = now - (spool.OldestPendingAt ?? now);
        TimeSpan left = FlushInterval - TimeSpan.FromSeconds(age);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>One request from the head of the spool; true when it was delivered (or dropped as undeliverable).</summary>
    private async Task<bool> SendOnceAsync(CancellationToken cancellationToken)
    {
        var records = spool.Peek(Math.Max(BatchSize, Math.Min(spool.PendingSpans, MaxRequestSpans)));
        if (records.Count == 0) return true;
        List<ResourceSpans> batch;
        try
        {
            batch = Merge(records);
        }
        catch (FormatException ex)
        {
            warn($"dropped {records.Count} spooled span(s) that could not be decoded ({ex.Message})");
            spool.Acknowledge(records);
            return true;
        }
        DeliveryResult result;
        try
        {
            result = await delivery.SendAsync(batch, records.Count, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or OperationCanceledException or Errors.AgentStraceException)
        {
            result = new DeliveryResult(false, Error: ex.Message);
        }
        if (result.Delivered || result.Permanent)
        {
            spool.Acknowledge(records);
            status.Delivered(result.Delivered ? records.Count - result.Rejected : 0, result.Delivered ? result.Rejected : records.Count);
            if (result.Permanent) Report("permanent:" + result.Error, $"the collector refused {records.Count} span(s) for good ({result.Error}); dropped them");
            else if (result.Rejected > 0) Report("rejected", $"the collector rejected {result.Rejected} of {records.Count} span(s) ({result.Error})");
            if (_failing) warn($"delivery to {delivery.Destination} works again; sending the spooled spans");
            _failing = false;
            _backoff = TimeSpan.Zero;
            _retryAt = 0;
            return true;
        }
        status.Failed(result.Error ?? "unknown error");
        _backoff = _backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Min(30, _backoff.TotalSeconds * 2));
        _retryAt = Clock.Now() + _backoff.TotalSeconds;
        if (!_failing) warn($"cannot deliver to {delivery.Destination} ({result.Error}); keeping spans in the spool and retrying");
        _failing = true;
        return false;
    }

    // One ResourceSpans per run of spans from the same session, in spool order.
    private static List<ResourceSpans> Merge(List<(SpoolRecord Record, long End)> records)
    {
        var batch = new List<ResourceSpans>();
        string? current = null;
        foreach (var (record, _) in records)
        {
            foreach (ResourceSpans rs in TraceRequestReader.Read(record.Otlp))
            {
                if (current == record.SessionId && batch.Count > 0) batch[^1].Spans.AddRange(rs.Spans);
                else batch.Add(rs);
                current = record.SessionId;
            }
        }
        return batch;
    }

    private void Report(string kind, string message)
    {
        if (_reported.Add(kind)) warn(message);
    }
}
