using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Output;
using AgentStrace.Store;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class CostCommands
{
    /// <summary>USD cost of sessions from recorded token usage (input, output, cache write, cache read); estimated where no usage was recorded.</summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent session).</param>
    /// <param name="all">Every session (narrow with --since/--until).</param>
    /// <param name="since">Sessions started at or after: 30d, 24h, 2026-01-31, epoch seconds.</param>
    /// <param name="until">Sessions started at or before this time.</param>
    /// <param name="format">-f, text or json.</param>
    /// <param name="model">Price every call at this model: sonnet, opus, haiku, gpt4, gpt4o or a pricing-table model.</param>
    /// <param name="inputPrice">Custom input price, USD per million tokens (with --output-price).</param>
    /// <param name="outputPrice">Custom output price, USD per million tokens (with --input-price).</param>
    /// <param name="pricing">JSON pricing file merged over the built-in table (after &lt;store&gt;/pricing.json).</param>
    /// <param name="heuristic">Ignore recorded usage; use upstream's JSON-length/4 estimate (upstream-compatible figures).</param>
    public int Cost([Argument] string? sessionId = null, bool all = false, string? since = null, string? until = null,
        string format = "text", string? model = null, double? inputPrice = null, double? outputPrice = null,
        string? pricing = null, bool heuristic = false)
    {
        if (format is not ("text" or "json")) throw new AgentStraceException($"Unknown --format '{format}' for cost: use text or json.");
        TraceStore store = Cli.OpenStore();
        PricingTable table = PricingTable.Load(store.Root, pricing);
        var analyzer = new SessionAnalyzer(CostOptions.FromFlags(table, model, inputPrice, outputPrice, heuristic)) { OnMalformed = m => Output.Text.Warn(m.ToString()) };
        var request = new ExportRequest { SessionId = sessionId, All = all, Since = since, Until = until };
        var results = SessionSelection.Resolve(store, request, Output.Text.Warn).Select(s => analyzer.Analyze(s)).ToList();
        if (results.Count == 0) throw new SessionNotFoundException($"No sessions found in {store.DisplayRoot} for the given --since/--until.");
        foreach (string unpriced in results.SelectMany(r => r.Cost.UnpricedModels).Distinct()) Output.Text.Warn($"no price for model '{unpriced}' (counted as $0): add it to a pricing file and pass --pricing FILE.");
        using var stdout = StreamBufferWriter.Stdout();
        if (format == "json") CostReport.Json(results, table, stdout);
        else CostReport.Text(results, table, stdout);
        return ExitCodes.Ok;
    }
}
