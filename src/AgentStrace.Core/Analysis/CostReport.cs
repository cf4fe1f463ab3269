using System.Buffers;
using System.Globalization;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Json.Documents;
using AgentStrace.Output;
using Utf8StringInterpolation;

namespace AgentStrace.Analysis;

/// <summary>Text and JSON output of <c>cost</c>.</summary>
public static class CostReport
{
    public static void Text(IReadOnlyList<(SessionMetrics Metrics, SessionCost Cost)> sessions, PricingTable table, IBufferWriter<byte> o, bool footer = true)
    {
        foreach (var (m, c) in sessions)
        {
            string label = c.Method switch
            {
                "heuristic" => "Estimated cost",
                "mixed" => "Cost (partly estimated)",
                _ => "Cost",
            };
            Utf8String.Format(o, $"\nSession: {m.SessionId} — {label}: {Usd(c.TotalUsd)}\n");
            if (c.Method == "heuristic")
            {
                Utf8String.Format(o, $"No token usage recorded: upstream heuristic (JSON length / 4) at {c.Models[0].Model} prices.\n");
            }
            else if (c.Method == "mixed")
            {
                Utf8String.Format(o, $"{c.EstimatedCalls} of {c.Calls} model call(s) had no usage recorded and are estimated.\n");
            }
            Utf8String.Format(o, $"  {"Model",-28} {"Calls",5} {"Input",10} {"Output",9} {"Cache W",9} {"Cache R",10} {"USD",10}\n");
            foreach (ModelCost line in c.Models)
            {
                string usd = line.Priced ? Usd(line.Usd) : "no price";
                Utf8String.Format(o, $"  {Output.Text.Clip(line.Model, 28),-28} {line.Calls,5} {line.InputTokens,10} {line.OutputTokens,9} {line.CacheWriteTokens,9} {line.CacheReadTokens,10} {usd,10}\n");
            }
        }
        if (sessions.Count > 1)
        {
            double total = sessions.Sum(s => s.Cost.TotalUsd);
            Utf8String.Format(o, $"\nTotal: {Usd(total)} over {sessions.Count} sessions ({sessions.Count(s => s.Cost.Estimated)} estimated)\n");
        }
        if (!footer)
        {
            o.Write("\n"u8);
            return;
        }
        string overrides = table.Overrides.Count == 0 ? "" : " + " + string.Join(", ", table.Overrides);
        Utf8String.Format(o, $"\nPrices: USD per million tokens, snapshot {table.SnapshotDate}{overrides}\n\n");
    }

    public static void Json(IReadOnlyList<(SessionMetrics Metrics, SessionCost Cost)> sessions, PricingTable table, IBufferWriter<byte> o)
    {
        // Plain loops, not LINQ: each generic instantiation over a document type costs the native binary kilobytes.
        var list = new List<CostSessionDocument>(sessions.Count);
        double total = 0;
        foreach (var (m, c) in sessions)
        {
            total += c.TotalUsd;
            var models = new List<CostModelDocument>(c.Models.Count);
            foreach (ModelCost line in c.Models)
            {
                models.Add(new CostModelDocument
                {
                    Model = line.Model, PriceKey = line.PriceKey, Priced = line.Priced, Calls = line.Calls, EstimatedCalls = line.EstimatedCalls,
                    InputTokens = line.InputTokens, OutputTokens = line.OutputTokens, CacheWriteTokens = line.CacheWriteTokens, CacheReadTokens = line.CacheReadTokens,
                    CostUsd = Math.Round(line.Usd, 9),
                });
            }
            list.Add(new CostSessionDocument
            {
                SessionId = m.SessionId, Agent = m.Agent, Method = c.Method, Estimated = c.Estimated, CostUsd = Math.Round(c.TotalUsd, 9), Calls = c.Calls,
                EstimatedCalls = c.EstimatedCalls, InputTokens = c.InputTokens, OutputTokens = c.OutputTokens, CacheWriteTokens = c.CacheWriteTokens,
                CacheReadTokens = c.CacheReadTokens, Models = models,
            });
        }
        var doc = new CostDocument { PricingSnapshot = table.SnapshotDate, PricingOverrides = new List<string>(table.Overrides), TotalUsd = Math.Round(total, 9), Sessions = list };
        DocumentJson.Write(o, doc.Write);
        o.Write("\n"u8);
    }

    /// <summary>Dollars with 4 decimals, as upstream prints them.</summary>
    public static string Usd(double usd) => "$" + usd.ToString("0.0000", CultureInfo.InvariantCulture);
}
