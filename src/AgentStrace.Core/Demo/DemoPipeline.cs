using AgentStrace.Export;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Demo;

/// <summary>Runs the export pipeline on a store into memory, for printing.</summary>
public static class DemoPipeline
{
    public static async Task<List<Span>> BuildSpansAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        var sessions = SessionSelection.Resolve(store, request);
        var plan = TraceExportPlan.Build(store, sessions);
        SpanOptions options = TraceExportOptions.From(request, Environment.GetEnvironmentVariable, [], null);
        return await CollectingSink.CollectAsync(plan, options, null, cancellationToken);
    }
}
