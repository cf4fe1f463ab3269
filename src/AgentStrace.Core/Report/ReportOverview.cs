using System.Globalization;
using System.Text.Json;
using AgentStrace.Analysis;
using AgentStrace.Analysis.Baseline;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Report;

/// <summary>
/// The <c>--all</c> overview: sessions and cost per day, cost per day and model, top tools with error rates, each
/// session's row with its baseline verdict. Figures come from the same spans the waterfalls show (a session's row
/// includes its sub-agents), so the overview and the sections agree.
/// </summary>
internal static class ReportOverview
{
    private sealed class ToolCount
    {
        public int Calls, Errors;
    }

    private sealed class Day
    {
        public int Sessions, Errors;
        public double Cost;
    }

    private sealed class ModelDay(string day, string model)
    {
        public string Day { get; } = day;
        public string Model { get; } = model;
        public int Calls;
        public long Input, Output;
        public double Cost;
    }

    public static void Write(Utf8JsonWriter w, TraceStore store, List<ReportTrace> traces, List<SessionInfo> listing, PricingTable prices, Action<string> warn)
    {
        SessionBaseline? baseline = LoadBaseline(store, warn);
        var analyzer = baseline is null ? null : new SessionAnalyzer(CostOptions.Default(prices));
        var days = new Dictionary<string, Day>(StringComparer.Ordinal);
        var modelDays = new Dictionary<string, ModelDay>(StringComparer.Ordinal);
        var tools = new Dictionary<string, ToolCount>(StringComparer.Ordinal);
        int modelCalls = 0, toolCalls = 0, errors = 0;
        double totalCost = 0;

        w.WriteStartObject();
        w.WriteBoolean("baseline", baseline is not null);
        w.WriteStartArray("sessions");
        for (int index = 0; index < traces.Count; index++)
        {
            ReportTrace trace = traces[index];
            int calls = 0, errs = 0;
            double cost = 0;
            ulong end = 0;
            foreach (ReportSpan item in trace.Spans)
            {
                Span span = item.Span;
                end = Math.Max(end, span.EndTimeUnixNano);
                string type = ReportJson.TypeOf(span);
                if (span.Status == StatusCode.Error && type != "agent") errs++;
                if (type == "tool")
                {
                    calls++;
                    string name = Attribute(span, "gen_ai.tool.name");
                    string tool = name.Length > 0 ? name : span.Name;
                    if (!tools.TryGetValue(tool, out ToolCount? count)) tools[tool] = count = new ToolCount();
                    count.Calls++;
                    if (span.Status == StatusCode.Error) count.Errors++;
                }
                else if (type == "llm")
                {
                    modelCalls++;
                    double usd = ReportJson.Cost(span, prices) ?? 0;
                    cost += usd;
                    string model = Attribute(span, "gen_ai.request.model");
                    (string callDay, string name) = (DayOf(span.StartTimeUnixNano / 1e9), model.Length > 0 ? model : "unknown");
                    if (!modelDays.TryGetValue(callDay + "\n" + name, out ModelDay? md)) modelDays[callDay + "\n" + name] = md = new ModelDay(callDay, name);
                    md.Calls++;
                    md.Input += Int(span, "gen_ai.usage.input_tokens");
                    md.Output += Int(span, "gen_ai.usage.output_tokens");
                    md.Cost += usd;
                }
            }
            toolCalls += calls;
            errors += errs;
            totalCost += cost;
            string day = DayOf(trace.Session.Meta.StartedAt);
            if (!days.TryGetValue(day, out Day? d)) days[day] = d = new Day();
            d.Sessions++;
            d.Errors += errs;
            d.Cost += cost;

            w.WriteStartObject();
            w.WriteNumber("index", index);
            w.WriteString("id", trace.Session.Id);
            w.WriteNumber("started", trace.Session.Meta.StartedAt);
            w.WriteString("agent", trace.Session.Meta.AgentName.Length > 0 ? trace.Session.Meta.AgentName : "unknown");
            w.WriteNumber("durationMs", end > trace.Start ? Math.Round((end - trace.Start) / 1e6, 1) : 0);
            w.WriteNumber("toolCalls", calls);
            w.WriteNumber("errors", errs);
            w.WriteNumber("cost", Math.Round(cost, 6));
            if (baseline is not null && analyzer is not null)
            {
                w.WriteStartArray("anomalies");
                SessionMetrics metrics = analyzer.Analyze(trace.Session).Metrics;
                foreach (MetricCheck m in BaselineCheck.Run(baseline, metrics, 2.0, BaselineMethod.Robust).Metrics.Where(m => m.Anomalous))
                {
                    w.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"{m.Name} {m.Value:0.##} (usual {m.Low:0.##}–{m.High:0.##})"));
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("days");
        foreach (var (day, d) in days.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("day", day);
            w.WriteNumber("sessions", d.Sessions);
            w.WriteNumber("errors", d.Errors);
            w.WriteNumber("cost", Math.Round(d.Cost, 6));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("costByDayModel");
        foreach (ModelDay md in modelDays.Values.OrderBy(m => m.Day, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("day", md.Day);
            w.WriteString("model", md.Model);
            w.WriteNumber("calls", md.Calls);
            w.WriteNumber("input", md.Input);
            w.WriteNumber("output", md.Output);
            w.WriteNumber("cost", Math.Round(md.Cost, 6));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("tools");
        foreach (var (name, count) in tools.OrderByDescending(t => t.Value.Calls).ThenBy(t => t.Key, StringComparer.Ordinal).Take(20))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteNumber("calls", count.Calls);
            w.WriteNumber("errors", count.Errors);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("modelCalls", modelCalls);
        w.WriteNumber("toolCalls", toolCalls);
        w.WriteNumber("errors", errors);
        w.WriteNumber("totalCost", Math.Round(totalCost, 6));
        w.WriteEndObject();
    }

    private static SessionBaseline? LoadBaseline(TraceStore store, Action<string> warn)
    {
        string path = BaselineStore.DefaultPath(store);
        if (!File.Exists(path)) return null;
        try
        {
            return BaselineJson.Load(path);
        }
        catch (Exception ex) when (ex is Errors.AgentStraceException or IOException or FormatException or JsonException)
        {
            warn($"agent-strace: baseline {path} not used: {ex.Message}");
            return null;
        }
    }

    private static string DayOf(double epochSeconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(epochSeconds * 1000)).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Attribute(Span span, string key)
    {
        foreach (SpanAttribute a in span.Attributes)
        {
            if (a.Key == key) return a.Value.String;
        }
        return "";
    }

    private static long Int(Span span, string key)
    {
        foreach (SpanAttribute a in span.Attributes)
        {
            if (a.Key == key) return a.Value.Int;
        }
        return 0;
    }
}
