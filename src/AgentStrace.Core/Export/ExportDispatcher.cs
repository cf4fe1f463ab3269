using AgentStrace.Errors;
using AgentStrace.Store;

namespace AgentStrace.Export;

/// <summary>Routes <c>export</c> to the exporter for its format or backend; returns the exit code.</summary>
public static class ExportDispatcher
{
    public static readonly string[] Formats = ["json", "ndjson", "csv", "otlp", "otlp-genai", "eu-ai-act"];

    public static Task<int> RunAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        if (Array.IndexOf(Formats, request.Format) < 0)
        {
            throw new AgentStraceException($"Unknown --format '{request.Format}': use one of {string.Join(", ", Formats)}.");
        }
        // Upstream order (spec §3.1): metrics/scores/backend first, then the format.
        if (request.Metrics) return NotBuilt("--metrics");
        if (request.Backend is "langfuse" || request.Scores) return NotBuilt("--backend langfuse");
        return request.Format switch
        {
            "eu-ai-act" => NotBuilt("--format eu-ai-act"),
            "otlp" or "otlp-genai" => OtlpTraceExport.RunAsync(store, request, cancellationToken),
            _ => Task.FromResult(WriteEvents(store, request)),
        };
    }

    private static int WriteEvents(TraceStore store, ExportRequest request)
    {
        var sessions = SessionSelection.Resolve(store, request, Warn);
        using var target = OutputTarget.Open(request.Output);
        EventFormatExport.Write(sessions, request.Format, target.Writer, m => Warn(m.ToString()));
        target.Commit();
        if (target.IsFile) Warn($"agent-strace: {request.Format} export written to {target.Path}");
        return ExitCodes.Ok;
    }

    internal static void Warn(string message) =>
        Console.Error.WriteLine(message.StartsWith("agent-strace", StringComparison.Ordinal) ? message : "agent-strace: " + message);

    private static Task<int> NotBuilt(string what) =>
        throw new AgentStraceException($"export {what} is not available in this build.");
}
