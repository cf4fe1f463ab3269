using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgentStrace.Analysis.Pricing;
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
        using var w = new Utf8JsonWriter(o, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("pricing_snapshot", table.SnapshotDate);
        w.WriteStartArray("pricing_overrides");
        foreach (string f in table.Overrides) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteNumber("total_usd", Math.Round(sessions.Sum(s => s.Cost.TotalUsd), 9));
        w.WriteStartArray("sessions");
        foreach (var (m, c) in sessions)
        {
            w.WriteStartObject();
            w.WriteString("session_id", m.SessionId);
            w.WriteString("agent", m.Agent);
            w.WriteString("method", c.Method);
            w.WriteBoolean("estimated", c.Estimated);
            w.WriteNumber("cost_usd", Math.Round(c.TotalUsd, 9));
            w.WriteNumber("calls", c.Calls);
            w.WriteNumber("estimated_calls", c.EstimatedCalls);
            WriteTokens(w, c.InputTokens, c.OutputTokens, c.CacheWriteTokens, c.CacheReadTokens);
            w.WriteStartArray("models");
            foreach (ModelCost line in c.Models)
            {
                w.WriteStartObject();
                w.WriteString("model", line.Model);
                w.WriteString("price_key", line.PriceKey);
                w.WriteBoolean("priced", line.Priced);
                w.WriteNumber("calls", line.Calls);
                w.WriteNumber("estimated_calls", line.EstimatedCalls);
                WriteTokens(w, line.InputTokens, line.OutputTokens, line.CacheWriteTokens, line.CacheReadTokens);
                w.WriteNumber("cost_usd", Math.Round(line.Usd, 9));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        o.Write("\n"u8);
    }

    private static void WriteTokens(Utf8JsonWriter w, long input, long output, long cacheWrite, long cacheRead)
    {
        w.WriteNumber("input_tokens", input);
        w.WriteNumber("output_tokens", output);
        w.WriteNumber("cache_write_tokens", cacheWrite);
        w.WriteNumber("cache_read_tokens", cacheRead);
    }

    /// <summary>Dollars with 4 decimals, as upstream prints them.</summary>
    public static string Usd(double usd) => "$" + usd.ToString("0.0000", CultureInfo.InvariantCulture);
}
