using AgentStrace.Live;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class WatchCommands
{
    /// <summary>Follow sessions live: one line per event, the watchdog, and durable OTLP streaming with --stream-to.</summary>
    /// <param name="sessionId">Follow this session (id or prefix) until it ends; default: every active session until Ctrl-C.</param>
    /// <param name="status">Show the running streaming watch: lag, spooled spans, last error.</param>
    /// <param name="json">With --status: print the status file as JSON.</param>
    /// <param name="quiet">-q, Do not print a line per event.</param>
    /// <param name="exitWhenIdle">Stop after this many seconds without new events.</param>
    /// <param name="pollInterval">Seconds between polls when file notifications are missed.</param>
    /// <param name="streamTo">OTLP endpoint to stream spans to: a base URL (/v1/traces is appended) or a full signal URL.</param>
    /// <param name="protocol">http/protobuf (default), http/json or grpc.</param>
    /// <param name="header">-H, Request header "Name: value" or name=value; repeatable.</param>
    /// <param name="backend">Preset: jaeger, tempo, datadog, honeycomb, newrelic, splunk, aspire, otlp.</param>
    /// <param name="serviceName">service.name resource attribute (default: agent-trace).</param>
    /// <param name="timeout">Seconds one delivery attempt may take including retries (default 10).</param>
    /// <param name="format">Span shape: otlp-genai or otlp.</param>
    /// <param name="semconv">GenAI conventions for otlp-genai: default, v1.41 or latest.</param>
    /// <param name="noContent">Drop prompts, responses, tool inputs and outputs from spans.</param>
    /// <param name="streamBatchSize">Send as soon as this many spans are ready.</param>
    /// <param name="streamFlushInterval">Send a span at most this many seconds after it completed.</param>
    /// <param name="spoolMaxMb">Cap of the on-disk spool in MB; over it the oldest unsent spans are dropped with a warning.</param>
    /// <param name="drainTimeout">Seconds a stopping watch keeps trying to deliver spooled spans.</param>
    /// <param name="maxCost">Watchdog: heuristic session cost limit in dollars.</param>
    /// <param name="maxDuration">Watchdog: session duration limit in seconds.</param>
    /// <param name="maxRetries">Watchdog: times the same Bash command may run.</param>
    /// <param name="loopThreshold">Watchdog: the same call (tool + arguments) this many times within --loop-window events is a loop.</param>
    /// <param name="loopWindow">Watchdog: events the loop rule looks back over.</param>
    /// <param name="onViolation">alert (stderr and alerts.log, default) or kill (stop the agent, postmortem, ERROR root span).</param>
    /// <param name="killGrace">Seconds between SIGTERM and SIGKILL.</param>
    /// <param name="dryRun">Report what the watchdog would do; change nothing.</param>
    public async Task<int> Watch([Argument] string? sessionId = null, bool status = false, bool json = false, bool quiet = false,
        double? exitWhenIdle = null, double pollInterval = WatchOptions.DefaultPollSeconds, string? streamTo = null, string? protocol = null, string? header = null,
        string? backend = null, string? serviceName = null, double? timeout = null, string format = WatchOptions.DefaultFormat, string? semconv = null,
        bool noContent = false, int streamBatchSize = WatchOptions.DefaultBatchSize, double streamFlushInterval = WatchOptions.DefaultFlushSeconds,
        double spoolMaxMb = WatchOptions.DefaultSpoolMaxMb, double drainTimeout = WatchOptions.DefaultDrainSeconds,
        double? maxCost = null, double? maxDuration = null, int? maxRetries = null, int? loopThreshold = null, int loopWindow = WatchOptions.DefaultLoopWindow,
        string onViolation = WatchOptions.DefaultOnViolation, double killGrace = WatchOptions.DefaultKillGraceSeconds, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        _ = header; // repeatable: collected before parsing (Cli.Headers)
        FlagChecks.Watch(exitWhenIdle, pollInterval, timeout, streamBatchSize, streamFlushInterval, spoolMaxMb, drainTimeout, maxCost, maxDuration,
            maxRetries, loopThreshold, loopWindow, killGrace);
        var request = new WatchRequest
        {
            SessionId = sessionId, Status = status, Json = json, Quiet = quiet, ExitWhenIdle = exitWhenIdle, PollInterval = pollInterval,
            StreamTo = streamTo, Protocol = Choices.Protocol.ParseOrNull(protocol), Headers = Cli.Headers, Backend = Choices.Backend.ParseOrNull(backend), ServiceName = serviceName, Timeout = timeout,
            Format = Choices.SpanFormat.Parse(format, "watch"), Semconv = Choices.Semconv.ParseOrNull(semconv), NoContent = noContent, StreamBatchSize = streamBatchSize, StreamFlushInterval = streamFlushInterval,
            SpoolMaxMb = spoolMaxMb, DrainTimeout = drainTimeout, MaxCost = maxCost, MaxDuration = maxDuration, MaxRetries = maxRetries,
            LoopThreshold = loopThreshold, LoopWindow = loopWindow, OnViolation = Choices.OnViolation.Parse(onViolation, "watch"), KillGrace = killGrace, DryRun = dryRun,
        };
        return await WatchLauncher.RunAsync(Cli.OpenStore(), request, cancellationToken);
    }
}
