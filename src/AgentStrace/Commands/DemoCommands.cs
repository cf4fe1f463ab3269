using AgentStrace.Demo;
using AgentStrace.Export;
using AgentStrace.Output;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.View;
using Utf8StringInterpolation;

namespace AgentStrace.Cli.Commands;

internal sealed class DemoCommands
{
    /// <summary>Run the whole pipeline on an embedded sample Claude Code session (no setup needed).</summary>
    /// <param name="keep">Keep the temporary store and print its path.</param>
    /// <param name="endpoint">Also send the trace to this OTLP endpoint (e.g. http://localhost:4318).</param>
    /// <param name="format">Span shape: otlp-genai (default) or otlp.</param>
    /// <param name="protocol">http/protobuf (default), http/json or grpc.</param>
    /// <param name="semconv">GenAI conventions: default, v1.41 or latest.</param>
    /// <param name="backend">Backend preset for --endpoint (see export --help).</param>
    /// <param name="serviceName">service.name (default: agent-trace).</param>
    public async Task<int> Demo(bool keep = false, string? endpoint = null, string format = "otlp-genai", string? protocol = null,
        string? semconv = null, string? backend = null, string? serviceName = null, CancellationToken cancellationToken = default)
    {
        SpanFormat spanFormat = Choices.SpanFormat.Parse(format, "demo");
        var request = new ExportRequest
        {
            Format = spanFormat == SpanFormat.Classic ? ExportFormat.Otlp : ExportFormat.OtlpGenAi, Endpoint = endpoint, Protocol = Choices.Protocol.ParseOrNull(protocol),
            Semconv = Choices.Semconv.ParseOrNull(semconv), Backend = Choices.Backend.ParseOrNull(backend), ServiceName = serviceName, Headers = Cli.Headers,
        };
        string dir = Path.Combine(Path.GetTempPath(), "agent-strace-demo-" + Environment.ProcessId + "-" + Random.Shared.Next(1_000_000));
        var store = new TraceStore(dir);
        try
        {
            SessionInfo session = DemoSession.Write(store);
            using var stdout = StreamBufferWriter.Stdout();
            Utf8String.Format(stdout, $"agent-strace demo: a sample Claude Code session, recorded into {dir}\n\n");
            SessionViews.ListTable(store.List(), stdout);
            Utf8String.Format(stdout, $"\nThe session as 'agent-strace replay --expand-subagents' shows it (model calls priced as 'agent-strace cost' prices them):\n");
            Style style = Terminal.Style(null, ColorMode.Auto);
            SessionTimeline timeline = SessionTimeline.BuildTree(session, store.List(), Views.Pricing(store), m => Output.Text.Warn(m.ToString()));
            new TimelineRenderer(style, new ReplayOptions { Layout = SubagentLayout.Inline }).Write(timeline, stdout);
            ReplayTotals totals = ReplayTotals.Of(timeline);
            request = request with { SessionId = session.Id };
            Utf8String.Format(stdout, $"\nAs OpenTelemetry spans (--format {format}; the sub-agent nests under its Agent tool call; span tokens count cache reads as input):\n");
            var tree = new System.Buffers.ArrayBufferWriter<byte>();
            SpanTree.Write(await DemoPipeline.BuildSpansAsync(store, request, cancellationToken), tree);
            foreach (string line in System.Text.Encoding.UTF8.GetString(tree.WrittenSpan).TrimEnd('\n').Split('\n')) Output.Text.Line(stdout, Cells.Fit(line.TrimEnd(), style.Width));
            stdout.Flush();
            if (endpoint is not null || backend is not null)
            {
                int rc = await ExportDispatcher.RunAsync(store, request, cancellationToken);
                if (rc != 0) return rc;
            }
            else
            {
                Utf8String.Format(stdout, $"\nSend it to a collector: agent-strace demo --endpoint http://localhost:4318\n");
            }
            Utf8String.Format(stdout, $"\nThis session cost {Units.Usd(totals.CostUsd)} ({Units.Count(totals.InputTokens)} input tokens, {Units.Count(totals.OutputTokens)} output tokens, sub-agent included).\n");
            if (keep)
            {
                Utf8String.Format(stdout, $"\nThe store is kept at {dir}. Try:\n  agent-strace --trace-dir {dir} replay --tree\n  agent-strace --trace-dir {dir} stats\n  agent-strace --trace-dir {dir} report --html -o demo.html\n");
            }
            else
            {
                Utf8String.Format(stdout, $"\nRecord your own sessions with 'agent-strace setup' (Claude Code hooks) or 'agent-strace import --discover', then:\n  agent-strace replay                          the newest session, step by step\n  agent-strace report --html -o session.html   the same as a page to open in a browser\n");
            }
            return 0;
        }
        finally
        {
            if (!keep) TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
