using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Live.Watchdog;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Live;

/// <summary>Validates <c>watch</c> flags, builds the runner and runs it (or prints <c>--status</c>).</summary>
public static class WatchLauncher
{
    public static async Task<int> RunAsync(TraceStore store, WatchRequest r, CancellationToken cancellationToken)
    {
        if (r.Status) return WatchStatusView.Print(store, r.Json);
        WatchOptions options = Options(r);
        OtlpSpanDelivery? delivery = null;
        if (options.Stream is { } flags)
        {
            OtlpSettings settings = OtlpSettingsResolver.Resolve(flags, OtlpSignal.Traces);
            foreach (string w in settings.Warnings) Output.Text.Warn(w);
            delivery = new OtlpSpanDelivery(settings);
            options = options with { Spans = options.Spans with { ServiceName = settings.ServiceName, ResourceAttributes = settings.ResourceAttributes.Select(a => SpanAttribute.Of(a.Key, a.Value)).ToList() } };
        }
        using (delivery)
        using (var runner = new WatchRunner(store, options, delivery))
        {
            return await runner.RunAsync(cancellationToken);
        }
    }

    public static WatchOptions Options(WatchRequest r)
    {
        Positive(r.StreamBatchSize, "--stream-batch-size");
        Positive(r.StreamFlushInterval, "--stream-flush-interval");
        Positive(r.SpoolMaxMb, "--spool-max-mb");
        Positive(r.PollInterval, "--poll-interval");
        Positive(r.LoopWindow, "--loop-window");
        if (r.DrainTimeout < 0) throw new AgentStraceException($"Invalid --drain-timeout {r.DrainTimeout}: use 0 or more seconds.");
        if (r.ExitWhenIdle is double idle) Positive(idle, "--exit-when-idle");
        if (r.LoopThreshold is int n && n < 2) throw new AgentStraceException($"Invalid --loop-threshold {n}: use 2 or more (repeats of the same call).");
        bool streaming = !string.IsNullOrWhiteSpace(r.StreamTo);
        if (!streaming && (r.Protocol is not null || r.Headers.Count > 0 || r.Backend is not null))
        {
            throw new AgentStraceException("--protocol, --header and --backend need --stream-to URL.");
        }
        return new WatchOptions
        {
            SessionId = string.IsNullOrEmpty(r.SessionId) ? null : r.SessionId,
            ExitWhenIdle = r.ExitWhenIdle is double s ? TimeSpan.FromSeconds(s) : null,
            PollInterval = TimeSpan.FromSeconds(r.PollInterval),
            Quiet = r.Quiet,
            Stream = streaming ? new OtlpFlags { Endpoint = r.StreamTo, Protocol = r.Protocol, Headers = r.Headers, Backend = r.Backend, ServiceName = r.ServiceName, TimeoutSeconds = r.Timeout } : null,
            Spans = new SpanOptions
            {
                Format = r.Format,
                Semconv = TraceExportOptions.ResolveSemconv(r.Semconv, Environment.GetEnvironmentVariable("OTEL_SEMCONV_STABILITY_OPT_IN")),
                NoContent = r.NoContent,
            },
            BatchSize = r.StreamBatchSize,
            FlushInterval = TimeSpan.FromSeconds(r.StreamFlushInterval),
            SpoolCapBytes = (long)(r.SpoolMaxMb * 1024 * 1024),
            DrainTimeout = TimeSpan.FromSeconds(r.DrainTimeout),
            Limits = new WatchdogLimits
            {
                MaxCost = r.MaxCost, MaxDuration = r.MaxDuration, MaxRetries = r.MaxRetries, LoopThreshold = r.LoopThreshold,
                LoopWindow = r.LoopWindow, OnViolation = r.OnViolation, DryRun = r.DryRun, KillGraceSeconds = Math.Max(0, r.KillGrace),
            },
        };
    }

    private static void Positive(double value, string flag)
    {
        if (!(value > 0)) throw new AgentStraceException($"Invalid {flag} {value}: use a number greater than 0.");
    }
}
