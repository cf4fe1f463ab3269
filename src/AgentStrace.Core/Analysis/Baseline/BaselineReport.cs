using System.Buffers;
using System.Globalization;
using AgentStrace.Json.Documents;
using AgentStrace.Output;
using Utf8StringInterpolation;

namespace AgentStrace.Analysis.Baseline;

/// <summary>Text and JSON output of <c>baseline check</c> and <c>baseline show</c>.</summary>
public static class BaselineReport
{
    public static void CheckText(BaselineCheck check, IBufferWriter<byte> o)
    {
        string method = check.Method == BaselineMethod.Robust ? "median ± k·MAD×1.4826" : "mean ± k·stddev";
        Utf8String.Format(o, $"\nBaseline check: {check.Session.SessionId}  [{(check.Anomalous ? "ANOMALOUS" : "OK")}]\n");
        Utf8String.Format(o, $"Compared with {check.Group.Label} ({check.Group.SessionCount} sessions), {method}, threshold {check.Threshold.ToString("0.0##", CultureInfo.InvariantCulture)}\n\n");
        Utf8String.Format(o, $"  {"Metric",-13} {"Value",12} {"Expected band",-27} {"Score",7}  Status\n");
        Utf8String.Format(o, $"  {new string('-', 13)} {new string('-', 12)} {new string('-', 27)} {new string('-', 7)}  {new string('-', 10)}\n");
        foreach (MetricCheck m in check.Metrics)
        {
            string band = Fmt(m.Name, m.Low) + " .. " + Fmt(m.Name, m.High);
            string score = m.Score.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
            Utf8String.Format(o, $"  {m.Name,-13} {Fmt(m.Name, m.Value),12} {band,-27} {score,7}  {(m.Anomalous ? "ANOMALY" : "ok")}\n");
        }
        if (check.Metrics.Count == 0) Text.Line(o, "  No metrics to compare.");
        foreach (MetricCheck m in check.Metrics.Where(m => m.Anomalous))
        {
            Utf8String.Format(o, $"\n{m.Name} = {Fmt(m.Name, m.Value)} is outside the expected band {Fmt(m.Name, m.Low)} .. {Fmt(m.Name, m.High)} (score {m.Score.ToString("0.00", CultureInfo.InvariantCulture)}σ)");
        }
        Text.Line(o, "");
    }

    public static void CheckJson(BaselineCheck check, IBufferWriter<byte> o)
    {
        var metrics = new List<MetricCheckDocument>(check.Metrics.Count);
        foreach (MetricCheck m in check.Metrics)
        {
            metrics.Add(new MetricCheckDocument
            {
                Metric = m.Name, Value = m.Value, Centre = m.Centre, Spread = m.Spread, Low = m.Low, High = m.High, Score = Math.Round(m.Score, 6), Anomalous = m.Anomalous,
            });
        }
        var doc = new BaselineCheckDocument
        {
            SessionId = check.Session.SessionId, Agent = check.Session.Agent, Model = check.Session.Model, Anomalous = check.Anomalous,
            Method = check.Method == BaselineMethod.Robust ? "robust" : "stddev", Threshold = check.Threshold,
            Group = check.Group.IsGlobal ? "global" : check.Group.Label, BaselineSessions = check.Group.SessionCount, Metrics = metrics,
        };
        DocumentJson.Write(o, doc.Write);
        o.Write("\n"u8);
    }

    public static void ShowText(SessionBaseline b, string path, IBufferWriter<byte> o)
    {
        Utf8String.Format(o, $"Baseline ({b.SessionCount} sessions, built {Text.UtcTime(b.CreatedAt)} UTC) from {path}\n");
        if (b.SessionCount < SessionBaseline.MinSessions)
        {
            Utf8String.Format(o, $"Too few sessions to check against: at least {SessionBaseline.MinSessions} are needed.\n");
        }
        ShowGroup(b.Global, o);
        foreach (BaselineGroup g in b.Groups) ShowGroup(g, o);
    }

    private static void ShowGroup(BaselineGroup g, IBufferWriter<byte> o)
    {
        Utf8String.Format(o, $"\n{g.Label} ({g.SessionCount} sessions)\n");
        Utf8String.Format(o, $"  {"Metric",-13} {"Mean",10} {"Stddev",10} {"Median",10} {"MAD×1.4826",10} {"Min",10} {"Max",10}\n");
        foreach (var (name, s) in g.Metrics)
        {
            Utf8String.Format(o, $"  {name,-13} {N(s.Mean),10} {N(s.StdDev),10} {N(s.Median),10} {N(s.RobustSpread),10} {N(s.Min),10} {N(s.Max),10}\n");
        }
    }

    public static void ShowJson(SessionBaseline b, IBufferWriter<byte> o)
    {
        DocumentJson.Write(o, w => BaselineJson.Write(w, b));
        o.Write("\n"u8);
    }

    private static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Fmt(string metric, double v) => metric switch
    {
        SessionMetrics.CostUsd => "$" + v.ToString("0.0000", CultureInfo.InvariantCulture),
        SessionMetrics.DurationS => v.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        SessionMetrics.ErrorRate or SessionMetrics.RetryRate => v.ToString("0.000", CultureInfo.InvariantCulture),
        _ => v.ToString("0.#", CultureInfo.InvariantCulture),
    };
}
