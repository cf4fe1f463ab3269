using System.Globalization;
using System.Text.Json;
using AgentStrace.FileSystem;

namespace AgentStrace.Analysis;

/// <summary>
/// Reads <c>&lt;store&gt;/&lt;session&gt;/eval.json</c> with upstream's <c>_load_eval_scores</c> rules: the list is
/// <c>results</c> or else <c>judges</c>; judge = <c>scorer</c> or <c>name</c> or <c>unknown</c>; <c>score</c> (default 0.0)
/// and <c>threshold</c> (default 1.0) as floats; <c>passed</c> as given, else <c>score &gt;= threshold</c>. A missing or
/// malformed file gives no scores. The one reader of eval.json: Langfuse scores and the <c>agent.eval.score</c> metric.
/// </summary>
public static class EvalScoreReader
{
    public const string FileName = "eval.json";

    public static List<EvalScore> Read(string sessionDirectory) => Read(sessionDirectory, out _);

    /// <summary>Reads, and reports a present but unusable file through <paramref name="warn"/> (one line).</summary>
    public static List<EvalScore> Read(string sessionDirectory, Action<string>? warn)
    {
        List<EvalScore> scores = Read(sessionDirectory, out string? problem);
        if (problem is not null) warn?.Invoke($"agent-strace: ignored {Path.Combine(sessionDirectory, FileName)}: {problem}.");
        return scores;
    }

    /// <param name="problem">Why a present file gave no scores (for a warning), or null.</param>
    public static List<EvalScore> Read(string sessionDirectory, out string? problem)
    {
        problem = null;
        string path = Path.Combine(sessionDirectory, FileName);
        if (!File.Exists(path)) return [];
        try
        {
            using JsonDocument doc = JsonDocument.Parse(SafeFile.ReadAllBytes(path, 64 << 20));
            return Parse(doc.RootElement) ?? Malformed(out problem, "it does not have the shape of an eval report (results: [{scorer, score, threshold, passed}])");
        }
        catch (JsonException ex)
        {
            return Malformed(out problem, "it is not valid JSON (" + ex.Message.Split('.')[0] + ")");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Malformed(out problem, ex.Message);
        }
    }

    private static List<EvalScore> Malformed(out string? problem, string why)
    {
        problem = why;
        return [];
    }

    private static List<EvalScore>? Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return null;
        JsonElement list = Truthy(root, "results") ?? Truthy(root, "judges") ?? default;
        if (list.ValueKind == JsonValueKind.Undefined) return [];
        if (list.ValueKind != JsonValueKind.Array) return null;
        var scores = new List<EvalScore>();
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) return null;
            string judge = Text(Truthy(item, "scorer")) ?? Text(Truthy(item, "name")) ?? "unknown";
            if (Float(item, "score", 0.0) is not double score || Float(item, "threshold", 1.0) is not double threshold) return null;
            bool passed = item.TryGetProperty("passed", out JsonElement p) ? IsTruthy(p) : score >= threshold;
            string reason = item.TryGetProperty("reason", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            scores.Add(new EvalScore(judge, score, threshold, passed, reason));
        }
        return scores;
    }

    private static JsonElement? Truthy(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement v) && IsTruthy(v) ? v : null;

    private static string? Text(JsonElement? v) => v is not { } e ? null : e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText();

    // Python float(): numbers, numeric strings and bools; anything else fails the whole file.
    private static double? Float(JsonElement obj, string name, double fallback)
    {
        if (!obj.TryGetProperty(name, out JsonElement v)) return fallback;
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.True => 1.0,
            JsonValueKind.False => 0.0,
            JsonValueKind.String when double.TryParse(v.GetString()!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => null,
        };
    }

    private static bool IsTruthy(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => v.GetDouble() != 0,
        JsonValueKind.String => v.GetString()!.Length > 0,
        JsonValueKind.Array => v.GetArrayLength() > 0,
        JsonValueKind.Object => v.EnumerateObject().Any(),
        _ => false,
    };
}

/// <summary>One judge result from a session's <c>eval.json</c> (its fields as the judges write them).</summary>
public sealed record EvalScore(string Judge, double Score, double Threshold, bool Passed, string Reason)
{
    /// <summary>Upstream's score comment, Python formatting: <c>threshold=1.0 passed=False</c>.</summary>
    public string Comment => $"threshold={Json.PyFloat.Format(Threshold)} passed={(Passed ? "True" : "False")}";
}
