using System.Text.Json;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;

namespace AgentStrace.Analysis.Baseline;

/// <summary>Reads and writes <c>baseline.json</c> (indented JSON; see docs/metrics-and-baseline.md for the layout).</summary>
public static class BaselineJson
{
    public static void Write(Utf8JsonWriter w, SessionBaseline baseline)
    {
        var groups = new List<BaselineGroupDocument>(baseline.Groups.Count);
        foreach (BaselineGroup g in baseline.Groups) groups.Add(Document(g));
        new BaselineDocument
        {
            Version = SessionBaseline.FormatVersion, CreatedAt = baseline.CreatedAt, SessionCount = baseline.SessionCount,
            Global = Document(baseline.Global), Groups = groups, Sessions = new List<string>(baseline.SessionIds),
        }.Write(w);
    }

    private static BaselineGroupDocument Document(BaselineGroup g)
    {
        var metrics = new Dictionary<string, MetricStatsDocument>(g.Metrics.Count, StringComparer.Ordinal);
        foreach (var (name, s) in g.Metrics)
        {
            metrics[name] = new MetricStatsDocument
            {
                Count = s.Count, Mean = s.Mean, StdDev = s.StdDev, Median = s.Median, Mad = s.Mad, MeanAbsDeviation = s.MeanAbsDeviation,
                RobustSpread = s.RobustSpread, Min = s.Min, Max = s.Max,
            };
        }
        return new BaselineGroupDocument { Agent = g.Agent, Model = g.Model, SessionCount = g.SessionCount, Metrics = metrics };
    }

    public static void Save(string path, SessionBaseline baseline)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // The default path is in the store: replaced atomically, never written through a planted link.
        using var target = Output.OutputTarget.Open(full, carriesContent: false);
        using (var w = new Utf8JsonWriter(target.Writer, new JsonWriterOptions { Indented = true }))
        {
            Write(w, baseline);
        }
        target.Commit();
    }

    public static SessionBaseline Load(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new AgentStraceException($"No baseline found at {path}. Run: agent-strace baseline update");
        try
        {
            return Parse(SafeFile.ReadAllBytes(path, 64 << 20), cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new AgentStraceException($"Baseline {path} is not readable ({DocumentJson.Describe(ex)}). Rebuild it: agent-strace baseline update");
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            throw new AgentStraceException($"Baseline {path} is not readable ({ex.Message}). Rebuild it: agent-strace baseline update");
        }
    }

    public static SessionBaseline Parse(byte[] json, CancellationToken cancellationToken = default)
    {
        BaselineDocument doc = BaselineDocument.Parse(json);
        if (doc.Global is not { } global || doc.Version != SessionBaseline.FormatVersion)
        {
            throw new FormatException("not an agent-strace baseline (version 1)");
        }
        var groups = new List<BaselineGroup>();
        foreach (BaselineGroupDocument g in doc.Groups ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            groups.Add(Group(g));
        }
        return new SessionBaseline
        {
            CreatedAt = doc.CreatedAt,
            Global = Group(global),
            Groups = groups,
            SessionIds = doc.Sessions ?? [],
        };
    }

    private static BaselineGroup Group(BaselineGroupDocument g)
    {
        var metrics = new Dictionary<string, MetricStats>(StringComparer.Ordinal);
        foreach (var (name, s) in g.Metrics)
        {
            metrics[name] = new MetricStats
            {
                Count = s.Count, Mean = s.Mean, StdDev = s.StdDev, Median = s.Median, Mad = s.Mad, MeanAbsDeviation = s.MeanAbsDeviation, Min = s.Min, Max = s.Max,
            };
        }
        return new BaselineGroup { Agent = g.Agent, Model = g.Model, SessionCount = g.SessionCount, Metrics = metrics };
    }
}
