using AgentStrace.Export;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class ExportCommands
{
    /// <summary>Export sessions: to a file or stdout (json, ndjson, csv, otlp, otlp-genai, eu-ai-act), to an OTLP endpoint, to Langfuse, or as metrics.</summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session, with its sub-agents).</param>
    /// <param name="format">-f, json, ndjson, csv, otlp, otlp-genai or eu-ai-act (default: json; otlp-genai when sending to an endpoint).</param>
    /// <param name="all">Export every session (narrow with --since/--until).</param>
    /// <param name="since">Sessions started at or after: 7d, 24h, 2026-01-31, epoch seconds.</param>
    /// <param name="until">Sessions started at or before this time.</param>
    /// <param name="output">-o, Write to this file instead of stdout.</param>
    /// <param name="endpoint">OTLP endpoint: a base URL (/v1/traces is appended) or a full signal URL.</param>
    /// <param name="protocol">http/protobuf (default), http/json or grpc.</param>
    /// <param name="compression">gzip or none.</param>
    /// <param name="header">-H, Request header "Name: value" or name=value; repeatable.</param>
    /// <param name="serviceName">service.name resource attribute (default: agent-trace).</param>
    /// <param name="backend">Preset: jaeger, tempo, datadog, honeycomb, newrelic, splunk, aspire, langfuse, otlp.</param>
    /// <param name="semconv">GenAI conventions for otlp-genai: default, v1.41 or latest.</param>
    /// <param name="noContent">Drop prompts, responses, tool inputs and outputs from the export.</param>
    /// <param name="timeout">Overall delivery timeout in seconds (default: OTEL_EXPORTER_OTLP_TIMEOUT or 10).</param>
    /// <param name="batchSpans">Maximum spans per request (default 512).</param>
    /// <param name="dryRun">Build everything but send nothing; print what would be sent.</param>
    /// <param name="metrics">Export behavioural metrics instead of traces.</param>
    /// <param name="scores">Export eval scores (Langfuse scores, or the agent_strace.eval.score metric).</param>
    /// <param name="otlpEndpoint">Metrics endpoint (upstream flag; same as --endpoint).</param>
    /// <param name="otlpHeaders">Metrics headers as k=v,k=v (upstream flag).</param>
    /// <param name="langfusePublicKey">Langfuse public key (default: LANGFUSE_PUBLIC_KEY).</param>
    /// <param name="langfuseSecretKey">Langfuse secret key (default: LANGFUSE_SECRET_KEY).</param>
    /// <param name="followSymlinks">Write --output through a symbolic link to its target (refused otherwise).</param>
    /// <param name="langfuseHost">Langfuse base URL (default: LANGFUSE_HOST, LANGFUSE_BASE_URL or https://cloud.langfuse.com).</param>
    /// <param name="environment">Langfuse environment for traces and scores, e.g. production (default: LANGFUSE_TRACING_ENVIRONMENT).</param>
    public async Task<int> Export([Argument] string? sessionId = null, string? format = null, bool all = false,
        string? since = null, string? until = null, string? output = null, string? endpoint = null, string? protocol = null,
        string? compression = null, string? header = null, string? serviceName = null, string? backend = null,
        string? semconv = null, bool noContent = false, double? timeout = null, int? batchSpans = null, bool dryRun = false,
        bool metrics = false, bool scores = false, string? otlpEndpoint = null, string? otlpHeaders = null,
        string? langfusePublicKey = null, string? langfuseSecretKey = null, string? langfuseHost = null, string? environment = null, bool followSymlinks = false,
        CancellationToken cancellationToken = default)
    {
        _ = header; // repeatable: collected before parsing (Cli.Headers)
        FlagChecks.Export(timeout, batchSpans);
        var request = new ExportRequest
        {
            SessionId = sessionId, Format = format is null ? ExportFormat.Json : Choices.ExportFormat.Parse(format), FormatGiven = format is not null, All = all, Since = since, Until = until, Output = output,
            Endpoint = endpoint, Protocol = Choices.Protocol.ParseOrNull(protocol), Compression = Choices.Compression.ParseOrNull(compression),
            Headers = Cli.Headers, ServiceName = serviceName, Backend = Choices.Backend.ParseOrNull(backend), Semconv = Choices.Semconv.ParseOrNull(semconv), NoContent = noContent, TimeoutSeconds = timeout, BatchSpans = batchSpans,
            DryRun = dryRun, Metrics = metrics, Scores = scores, OtlpEndpoint = otlpEndpoint, OtlpHeaders = otlpHeaders,
            LangfusePublicKey = langfusePublicKey, LangfuseSecretKey = langfuseSecretKey, LangfuseHost = langfuseHost, Environment = environment,
            FollowSymlinks = followSymlinks,
        };
        return await ExportDispatcher.RunAsync(Cli.OpenStore(), request, cancellationToken);
    }
}
