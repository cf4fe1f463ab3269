using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using AgentStrace.Capture.Hooks;
using AgentStrace.Config;
using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.FileSystem;
using AgentStrace.Live;
using AgentStrace.Model;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Ship;

/// <summary>How <c>ship</c> runs: one pass (<c>ship</c>), started by a hook (<c>--background</c>), or until the outbox
/// is empty (<c>--wait</c>, the last step of a CI job).</summary>
public enum ShipMode { Once, Background, Wait }

/// <summary>
/// <c>ship</c>: delivers the outbox. One shipper per store (<c>.outbox/ship.lock</c>); it works while there are
/// hand-overs, sending up to <see cref="ShipConfig.Concurrency"/> sessions at once, and exits when the outbox is empty.
/// When the collector is down it backs off (1 s doubling to 5 min, kept in the state file so the next run waits its
/// turn); a background run gives up after <see cref="BackgroundBudget"/> and the next hook starts another.
/// <c>ship --wait</c> and plain <c>ship</c> try at once, and wake a background shipper that is backing off.
/// </summary>
public static class ShipRunner
{
    public static readonly TimeSpan BackgroundBudget = TimeSpan.FromMinutes(10);
    private const string WakeName = "wake";

    public static async Task<int> RunAsync(TraceStore store, ShipMode mode, TimeSpan timeout, Func<string, string?> env, Action<string> warn, CancellationToken ct)
    {
        string root = store.Root;
        Action<string>? echo = mode == ShipMode.Background ? null : warn;
        ShipConfig? config;
        try
        {
            config = ShipConfig.From(UserConfig.Load(), out string problem);
            if (problem.Length > 0) throw new AgentStraceException(problem);
        }
        catch (FormatException ex)
        {
            throw new AgentStraceException(ex.Message);
        }
        if (config is null)
        {
            if (mode == ShipMode.Background) return ExitCodes.Ok;
            throw new AgentStraceException($"Shipping is not set up: run 'agent-strace setup --global --ship-to URL' (it writes {UserConfig.DefaultPath()}).");
        }
        if (!Directory.Exists(root) && Outbox.IsEmpty(root))
        {
            echo?.Invoke($"agent-strace: nothing to ship: {root} has no outbox");
            return ExitCodes.Ok;
        }
        Directory.CreateDirectory(Outbox.Dir(root));
        ShipState state = ShipState.Load(root);
        var clock = Stopwatch.StartNew();
        OtlpSettings settings;
        ShipMetrics? metrics = null;
        SpanFormat format;
        try
        {
            OtlpFlags flags = Flags(config, env);
            format = config.Format.Length > 0 ? TraceExportOptions.SpanFormats.ParseFrom("config.json ship.format", config.Format) : SpanFormat.GenAi;
            settings = OtlpSettingsResolver.Resolve(flags, OtlpSignal.Traces, env);
            if (config.Metrics)
            {
                metrics = new ShipMetrics(OtlpSettingsResolver.Resolve(flags with { Endpoint = ShipMetrics.EndpointFor(config.To) }, OtlpSignal.Metrics, env), root);
            }
        }
        catch (AgentStraceException ex)
        {
            // A background run has no terminal: the state file and the log carry the reason to 'ship --status'.
            state.Failed(ex.Message);
            new ShipContext(root, state, new ShipFilter(config), new SpanOptions(), 1, null).Log(ex.Message);
            throw;
        }
        var spans = new SpanOptions
        {
            Format = format,
            ServiceName = settings.ServiceName,
            ResourceAttributes = settings.ResourceAttributes.Select(a => SpanAttribute.Of(a.Key, a.Value)).ToList(),
        };
        var ctx = new ShipContext(root, state, new ShipFilter(config), spans, config.BatchSpans, echo) { Metrics = metrics };
        foreach (string w in settings.Warnings) ctx.Warn(w);
        var pool = new ConcurrentBag<OtlpSpanDelivery>();
        try
        {
            while (true)
            {
                FileStream? held = TryLock(root);
                for (int i = 0; held is null && mode == ShipMode.Background && i < 5; i++)
                {
                    // A hook or 'ship --status' may be probing the lock for a moment: look again before leaving.
                    await Task.Delay(20, ct);
                    held = TryLock(root);
                }
                if (held is null)
                {
                    if (mode == ShipMode.Background) return ExitCodes.Ok; // another shipper works on it
                    if (mode == ShipMode.Once)
                    {
                        echo?.Invoke("agent-strace: a shipper is already running for this store; 'agent-strace ship --wait' waits for it");
                        return ExitCodes.Ok;
                    }
                    if (Outbox.IsEmpty(root)) return Done(ctx, echo);
                    if (clock.Elapsed >= timeout) return TimedOut(root, timeout);
                    Wake(root);
                    await Task.Delay(200, ct);
                    continue;
                }
                int? exit;
                using (held)
                {
                    exit = await DrainAsync(store, ctx, settings, pool, mode, clock, timeout, config, ct);
                }
                if (exit is { } code) return code;
                // The lock is released: a hook that wrote an entry just before saw it taken, so look once more.
                if (Outbox.IsEmpty(root)) return Done(ctx, echo);
            }
        }
        finally
        {
            foreach (OtlpSpanDelivery d in pool) d.Dispose();
        }
    }

    // Ships until the outbox is empty (null: look again after releasing the lock) or returns an exit code.
    private static async Task<int?> DrainAsync(TraceStore store, ShipContext ctx, OtlpSettings settings, ConcurrentBag<OtlpSpanDelivery> pool,
        ShipMode mode, Stopwatch clock, TimeSpan timeout, ShipConfig config, CancellationToken ct)
    {
        string root = store.Root;
        if (mode == ShipMode.Background && ctx.State.NextAttemptAt > Clock.Now())
        {
            ctx.Log($"backing off until {Time(ctx.State.NextAttemptAt)} after: {ctx.State.LastError}");
            await SleepAsync(root, TimeSpan.FromSeconds(ctx.State.NextAttemptAt - Clock.Now()), BackgroundBudget - clock.Elapsed, ct);
        }
        var shipper = new SessionShipper(store, ctx);
        while (true)
        {
            SafeFile.DeleteIfLeftOver(Path.Combine(Outbox.Dir(root), WakeName));
            List<OutboxEntry> entries = ShipCaps.Apply(Outbox.List(root, ctx.Log), ctx, config);
            if (entries.Count == 0) return null;
            var groups = entries.GroupBy(e => e.SessionId, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
            int failed = 0;
            await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, config.Concurrency), CancellationToken = ct }, async (g, token) =>
            {
                OtlpSpanDelivery delivery = pool.TryTake(out OtlpSpanDelivery? d) ? d : new OtlpSpanDelivery(settings);
                bool ok;
                try
                {
                    ok = await shipper.ShipAsync(g[0].SessionId, g, delivery, token);
                }
                catch (Exception ex) when (ex is AgentStraceException or IOException or UnauthorizedAccessException)
                {
                    ctx.Warn($"session {g[0].SessionId}: {ex.Message}");
                    ctx.LastError = ex.Message;
                    ok = false;
                }
                finally
                {
                    pool.Add(delivery);
                }
                if (ok) foreach (OutboxEntry e in g) Outbox.Remove(e);
                else Interlocked.Increment(ref failed);
            });
            if (failed == 0)
            {
                if (ctx.State.Failures > 0) ctx.Warn($"delivery to {settings.DisplayUrl} works again");
                ctx.State.Succeeded();
                continue;
            }
            TimeSpan backoff = ctx.State.Failed(ctx.LastError);
            ctx.Log($"cannot deliver {failed} session(s) to {settings.DisplayUrl} ({ctx.LastError}); next try in {backoff.TotalSeconds:0} s");
            switch (mode)
            {
                case ShipMode.Once:
                    throw new ExportException($"cannot deliver {failed} session(s) to {settings.DisplayUrl} ({ctx.LastError}); they stay in the outbox ('agent-strace ship --status').");
                case ShipMode.Wait:
                    if (clock.Elapsed + TimeSpan.FromSeconds(1) >= timeout) return TimedOut(root, timeout, ctx.LastError);
                    ctx.Warn($"cannot deliver to {settings.DisplayUrl} ({ctx.LastError}); retrying");
                    await SleepAsync(root, backoff, timeout - clock.Elapsed, ct);
                    break;
                default:
                    if (clock.Elapsed >= BackgroundBudget) return ExitCodes.Ok; // the state keeps the backoff; the next hook resumes
                    await SleepAsync(root, backoff, BackgroundBudget - clock.Elapsed, ct);
                    break;
            }
        }
    }

    /// <summary>Asks a running shipper to retry now instead of finishing its backoff.</summary>
    public static void Wake(string storeRoot)
    {
        try { SafeFile.WriteAtomic(Path.Combine(Outbox.Dir(storeRoot), WakeName), ""u8); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    private static async Task SleepAsync(string root, TimeSpan wait, TimeSpan limit, CancellationToken ct)
    {
        if (limit < wait) wait = limit;
        var sw = Stopwatch.StartNew();
        string wake = Path.Combine(Outbox.Dir(root), WakeName);
        while (sw.Elapsed < wait && !File.Exists(wake)) await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200, Math.Max(1, (wait - sw.Elapsed).TotalMilliseconds))), ct);
    }

    private static FileStream? TryLock(string root)
    {
        FileStream held;
        try { held = SafeFile.OpenLocked(Path.Combine(Outbox.Dir(root), HookShipping.LockName)); }
        catch (IOException) { return null; }
        // The holder's pid, for 'ship --status' and for whoever must stop it.
        held.SetLength(0);
        held.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        held.Flush();
        return held;
    }

    private static int Done(ShipContext ctx, Action<string>? echo)
    {
        echo?.Invoke($"agent-strace: outbox empty; {ctx.State.DeliveredSpans.ToString(CultureInfo.InvariantCulture)} span(s) delivered so far from this store");
        return ExitCodes.Ok;
    }

    private static int TimedOut(string root, TimeSpan timeout, string error = "")
    {
        int left = Outbox.List(root, _ => { }).Count;
        throw new ExportException($"the outbox still holds {left} hand-over(s) after {timeout.TotalSeconds:0} s{(error.Length > 0 ? " (" + error + ")" : "")}; they stay queued ('agent-strace ship --status').");
    }

    internal static string Time(double unix) => Clock.ToUtc(unix).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // The configuration holds the words setup wrote; each is read into its enum here, once, and a bad one names its key.
    private static OtlpFlags Flags(ShipConfig c, Func<string, string?> env) => new()
    {
        Endpoint = c.To,
        Protocol = c.Protocol.Length > 0 ? OtlpNames.Protocols.ParseFrom("config.json ship.protocol", c.Protocol) : null,
        Headers = c.ResolveHeaders(env),
        Backend = c.Backend.Length > 0 ? OtlpBackends.Presets.ParseFrom("config.json ship.backend", c.Backend) : null,
        ServiceName = c.ServiceName.Length > 0 ? c.ServiceName : null,
    };
}
