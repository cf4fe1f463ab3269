using System.Text.Json;

namespace AgentStrace.Analysis;

/// <summary>
/// Judge scores from <c>&lt;session&gt;/eval.json</c> (upstream's Langfuse export): the list is <c>results</c> or <c>judges</c>; each
/// entry's name is <c>scorer</c>, else <c>name</c>, else <c>unknown</c>; <c>score</c> defaults to 0. A missing or
/// malformed file has no scores (reported through <paramref name="warn"/> when malformed).
/// </summary>
public static class EvalScores
{
    public static List<(string Judge, double Score)> Read(string sessionDir, Action<string>? warn = null)
    {
        string path = Path.Combine(sessionDir, "eval.json");
        var scores = new List<(string, double)>();
        if (!File.Exists(path)) return scores;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return scores;
            if (!root.TryGetProperty("results", out JsonElement list) && !root.TryGetProperty("judges", out list)) return scores;
            if (list.ValueKind != JsonValueKind.Array) return scores;
            foreach (JsonElement item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                string judge = Str(item, "scorer") ?? Str(item, "name") ?? "unknown";
                double score = item.TryGetProperty("score", out JsonElement s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 0.0;
                scores.Add((judge, score));
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            warn?.Invoke($"agent-strace: skipping {path}: {ex.Message}");
        }
        return scores;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
