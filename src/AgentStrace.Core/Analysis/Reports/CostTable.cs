using System.Buffers;
using System.Globalization;
using System.Text;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Json.Documents;

namespace AgentStrace.Analysis.Reports;

/// <summary>A cost report as one table with a total row: text (width-aware), JSON or CSV.</summary>
public static class CostTable
{
    private sealed record Column(string Title, Func<CostGroup, string> Value, int Priority, bool Left = false);

    /// <param name="width">Terminal columns; columns are dropped (least useful first) and the key clipped to fit.</param>
    public static void Text(List<CostGroup> rows, CostGroup total, string keyTitle, bool breakdown, int width, PricingTable table, IBufferWriter<byte> o)
    {
        var cols = new List<Column>
        {
            new("Models", r => ShortModels(r), 1, Left: true),
            new("Calls", r => N(r.Calls), 3),
            new("Input", r => N(r.Input), 5),
            new("Output", r => N(r.Output), 6),
            new("Cache write", r => N(r.CacheWrite), 4),
            new("Cache read", r => N(r.CacheRead), 4),
            new("Total tokens", r => N(r.TotalTokens), 2),
            new("USD", r => Usd(r) + (Unpriced(r, table).Any() ? "?" : ""), 9),
        };
        if (breakdown) cols.RemoveAt(0);
        var all = new List<CostGroup>(rows) { total };
        string Key(CostGroup r) => r.Note.Length > 0 ? $"{r.Key}  {r.Note}" : r.Key;
        int keyWidth = Math.Max(keyTitle.Length, all.Max(r => Key(r).Length));
        if (breakdown) keyWidth = Math.Max(keyWidth, rows.SelectMany(r => r.Models.Keys).Select(k => k.Length + 4).DefaultIfEmpty(0).Max());
        int[] widths = cols.Select(c => Math.Max(c.Title.Length, all.Max(r => c.Value(r).Length))).ToArray();
        // Drop the least useful columns until the table fits; then clip the key (not below 12).
        var keep = Enumerable.Range(0, cols.Count).ToList();
        int Needed() => Math.Min(keyWidth, 44) + keep.Sum(i => widths[i] + 2);
        foreach (int drop in Enumerable.Range(0, cols.Count).OrderBy(i => cols[i].Priority).ToList())
        {
            if (Needed() <= width || cols[drop].Priority >= 5) break;
            keep.Remove(drop);
        }
        int keyCol = Math.Max(12, Math.Min(keyWidth, width - keep.Sum(i => widths[i] + 2)));
        var sb = new StringBuilder();
        void Row(string key, Func<Column, string> cell)
        {
            sb.Append(Clip(key, keyCol).PadRight(keyCol));
            foreach (int i in keep)
            {
                string v = cell(cols[i]);
                sb.Append("  ").Append(cols[i].Left ? Clip(v, widths[i]).PadRight(widths[i]) : v.PadLeft(widths[i]));
            }
            Output.Text.Line(o, sb.ToString().TrimEnd());
            sb.Clear();
        }
        Row(keyTitle, c => c.Title);
        Output.Text.Line(o, new string('─', Math.Min(width, keyCol + keep.Sum(i => widths[i] + 2))));
        foreach (CostGroup r in rows)
        {
            Row(Key(r), c => c.Value(r));
            if (!breakdown) continue;
            foreach (CostGroup m in r.ModelRows) Row("  └ " + m.Key, c => c.Value(m));
        }
        Output.Text.Line(o, new string('─', Math.Min(width, keyCol + keep.Sum(i => widths[i] + 2))));
        Row(Key(total), c => c.Value(total));
        if (total.Estimated) Output.Text.Line(o, "~ marks figures that are partly estimated (no usage recorded for some calls).");
        if (string.Join(", ", Unpriced(total, table)) is { Length: > 0 } unpriced)
        {
            Output.Text.Line(o, $"? marks costs that leave out models without a price ({unpriced}): their calls count as $0 until a pricing file names them.");
        }
        Footer(table, o);
    }

    public static void Footer(PricingTable table, IBufferWriter<byte> o)
    {
        string overrides = table.Overrides.Count == 0 ? "" : " + " + string.Join(", ", table.Overrides);
        Output.Text.Line(o, $"Prices: USD per million tokens, snapshot {table.SnapshotDate}{overrides}");
    }

    public static void Json(List<CostGroup> rows, CostGroup total, string by, string tz, PricingTable table, IBufferWriter<byte> o)
    {
        var doc = new CostTableDocument
        {
            By = by, TimeZone = tz, PricingSnapshot = table.SnapshotDate, PricingOverrides = new List<string>(table.Overrides),
            Rows = Rows(rows, true), Total = Row(total, true),
        };
        DocumentJson.Write(o, doc.Write);
        o.Write("\n"u8);
    }

    private static CostRowDocument Row(CostGroup r, bool models) => new()
    {
        Key = r.Key, Note = r.Note.Length > 0 ? r.Note : null, Calls = r.Calls, EstimatedCalls = r.EstimatedCalls, Sessions = r.Sessions.Count,
        InputTokens = r.Input, OutputTokens = r.Output, CacheWriteTokens = r.CacheWrite, CacheWrite1hTokens = r.CacheWrite1h, CacheReadTokens = r.CacheRead,
        TotalTokens = r.TotalTokens, WebSearchRequests = r.WebSearches, CostUsd = Math.Round(r.Usd, 9),
        First = double.IsNaN(r.First) ? null : Model.Clock.ToUtc(r.First).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        Last = double.IsNaN(r.Last) ? null : Model.Clock.ToUtc(r.Last).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        Models = models ? Rows(r.ModelRows, false) : null,
    };

    private static List<CostRowDocument> Rows(IEnumerable<CostGroup> groups, bool models)
    {
        var list = new List<CostRowDocument>();
        foreach (CostGroup g in groups) list.Add(Row(g, models));
        return list;
    }

    /// <summary>One line per row (and per model with <paramref name="breakdown"/>), then the total; RFC 4180 quoting.</summary>
    public static void Csv(List<CostGroup> rows, CostGroup total, string keyTitle, bool breakdown, IBufferWriter<byte> o)
    {
        Output.Text.Line(o, $"{Quote(keyTitle.ToLowerInvariant())},model,calls,input_tokens,output_tokens,cache_write_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,web_search_requests,cost_usd,estimated");
        void Line(string key, string model, CostGroup r) => Output.Text.Line(o, string.Join(",", Quote(key), Quote(model), r.Calls.ToString(CultureInfo.InvariantCulture),
            r.Input.ToString(CultureInfo.InvariantCulture), r.Output.ToString(CultureInfo.InvariantCulture), r.CacheWrite.ToString(CultureInfo.InvariantCulture),
            r.CacheWrite1h.ToString(CultureInfo.InvariantCulture), r.CacheRead.ToString(CultureInfo.InvariantCulture), r.TotalTokens.ToString(CultureInfo.InvariantCulture),
            r.WebSearches.ToString(CultureInfo.InvariantCulture), Math.Round(r.Usd, 9).ToString("0.#########", CultureInfo.InvariantCulture), r.Estimated ? "true" : "false"));
        foreach (CostGroup r in rows)
        {
            if (breakdown) foreach (CostGroup m in r.ModelRows) Line(r.Key, m.Key, m);
            else Line(r.Key, "", r);
        }
        Line("Total", "", total);
    }

    private static string Quote(string s)
    {
        // A leading =, +, - or @ would be a formula in a spreadsheet.
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@') s = "'" + s;
        return s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Four decimals below $100 (cents and their fractions), two above, with thousands separators.</summary>
    private static string Usd(CostGroup r) =>
        (r.Estimated ? "~$" : "$") + r.Usd.ToString(r.Usd >= 100 ? "N2" : "N4", CultureInfo.InvariantCulture);

    /// <summary>The models of a row that used tokens, cost nothing and have no price in the table (not priced by a flag either).</summary>
    private static IEnumerable<string> Unpriced(CostGroup r, PricingTable table) =>
        (r.Models.Count > 0 ? r.ModelRows : [r]).Where(m => m.Usd == 0 && m.TotalTokens > 0 && !table.TryFind(m.Key, out _, out _)).Select(m => m.Key);

    private static string ShortModels(CostGroup r) => string.Join(", ", r.ModelRows.Select(g => g.Key).Select(m => PricingTable.Normalize(m).Replace("claude-", "", StringComparison.Ordinal)));

    private static string Clip(string s, int max) => Output.Text.Clip(s, max);
}
