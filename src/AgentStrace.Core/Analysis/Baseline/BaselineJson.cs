using System.Text.Json;
using AgentStrace.Errors;
using AgentStrace.FileSystem;

namespace AgentStrace.Analysis.Baseline;

/// <summary>Reads and writes <c>baseline.json</c> (indented JSON; see docs/metrics-and-baseline.md for the layout).</summary>
public static class BaselineJson
{
    public static void Write(Utf8JsonWriter w, SessionBaseline baseline)
    {
        w.WriteStartObject();
        w.WriteNumber("version", SessionBaseline.FormatVersion);
        w.WriteNumber("created_at", baseline.CreatedAt);
        w.WriteNumber("session_count", baseline.SessionCount);
        w.WritePropertyName("global");
        WriteGroup(w, baseline.Global);
        w.WriteStartArray("groups");
        foreach (BaselineGroup g in baseline.Groups) WriteGroup(w, g);
        w.WriteEndArray();
        w.WriteStartArray("sessions");
        foreach (string id in baseline.SessionIds) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteGroup(Utf8JsonWriter w, BaselineGroup g)
    {
        w.WriteStartObject();
        if (!g.IsGlobal)
        {
            w.WriteString("agent", g.Agent);
            w.WriteString("model", g.Model);
        }
        w.WriteNumber("session_count", g.SessionCount);
        w.WriteStartObject("metrics");
        foreach (var (name, s) in g.Metrics)
        {
            w.WriteStartObject(name);
            w.WriteNumber("count", s.Count);
            w.WriteNumber("mean", s.Mean);
            w.WriteNumber("stddev", s.StdDev);
            w.WriteNumber("median", s.Median);
            w.WriteNumber("mad", s.Mad);
            w.WriteNumber("mean_abs_deviation", s.MeanAbsDeviation);
            w.WriteNumber("robust_spread", s.RobustSpread);
            w.WriteNumber("min", s.Min);
            w.WriteNumber("max", s.Max);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
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

    public static SessionBaseline Load(string path)
    {
        if (!File.Exists(path)) throw new AgentStraceException($"No baseline found at {path}. Run: agent-strace baseline update");
        try
        {
            return Parse(SafeFile.ReadAllBytes(path, 64 << 20));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or IOException)
        {
            throw new AgentStraceException($"Baseline {path} is not readable ({ex.Message}). Rebuild it: agent-strace baseline update");
        }
    }

    public static SessionBaseline Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        if (!root.TryGetProperty("global", out JsonElement global) || !root.TryGetProperty("version", out JsonElement v) || v.GetInt32() != SessionBaseline.FormatVersion)
        {
            throw new FormatException("not an agent-strace baseline (version 1)");
        }
        return new SessionBaseline
        {
            CreatedAt = root.TryGetProperty("created_at", out JsonElement c) ? c.GetDouble() : 0,
            Global = ReadGroup(global),
            Groups = root.TryGetProperty("groups", out JsonElement groups) ? groups.EnumerateArray().Select(ReadGroup).ToList() : [],
            SessionIds = root.TryGetProperty("sessions", out JsonElement ids) ? ids.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [],
        };
    }

    private static BaselineGroup ReadGroup(JsonElement e)
    {
        var metrics = new Dictionary<string, MetricStats>(StringComparer.Ordinal);
        foreach (JsonProperty p in e.GetProperty("metrics").EnumerateObject())
        {
            JsonElement s = p.Value;
            metrics[p.Name] = new MetricStats
            {
                Count = s.GetProperty("count").GetInt32(),
                Mean = s.GetProperty("mean").GetDouble(),
                StdDev = s.GetProperty("stddev").GetDouble(),
                Median = s.GetProperty("median").GetDouble(),
                Mad = s.GetProperty("mad").GetDouble(),
                MeanAbsDeviation = s.GetProperty("mean_abs_deviation").GetDouble(),
                Min = s.GetProperty("min").GetDouble(),
                Max = s.GetProperty("max").GetDouble(),
            };
        }
        return new BaselineGroup
        {
            Agent = e.TryGetProperty("agent", out JsonElement a) ? a.GetString() : null,
            Model = e.TryGetProperty("model", out JsonElement m) ? m.GetString() : null,
            SessionCount = e.GetProperty("session_count").GetInt32(),
            Metrics = metrics,
        };
    }
}
