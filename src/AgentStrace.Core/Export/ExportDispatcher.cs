using AgentStrace.Compliance;
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
            "eu-ai-act" => EuAiActExport.RunAsync(store, request, cancellationToken),
            "otlp" or "otlp-genai" => NotBuilt("--format " + request.Format),
            _ => NotBuilt("--format " + request.Format),
        };
    }

    private static Task<int> NotBuilt(string what) =>
        throw new AgentStraceException($"export {what} is not available in this build.");
}
